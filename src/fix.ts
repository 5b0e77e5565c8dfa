/**
 * `lint --fix` (SPEC §9): applies the repairs that fixable rules attach to their diagnostics.
 * Each repair replaces one scalar's text (a value, or a key) by a bare token in the same quoting,
 * so comments, key order, quoting, anchors and blank lines elsewhere stay byte for byte. Edits
 * of one pass never overlap; the file is linted again after each pass until nothing is left to
 * fix (at most {@link MAX_FIX_PASSES} passes, so two rules can never pull a value back and forth
 * for ever).
 */
import { lintSource, type LintedFile, type LintOptions } from './engine.ts';
import type { AppliedFix } from './types.ts';

export type { AppliedFix } from './types.ts';

export const MAX_FIX_PASSES = 10;

export interface FixResult {
  /** the fixed text (the input when nothing applied) */
  output: string;
  changed: boolean;
  fixes: AppliedFix[];
  passes: number;
  /** the lint of the fixed text: its diagnostics are what is left */
  file: LintedFile;
}

/** Fixes `source` (the text of the file at `path`) and lints the result. Never writes. */
export function fixSource(path: string, source: string, options: LintOptions = {}): FixResult {
  // the parser reads the text without a byte order mark; offsets are into that text
  const bom = source.startsWith('\uFEFF') ? '\uFEFF' : '';
  let text = source.slice(bom.length);
  let file = lintSource(path, text, options);
  const fixes: AppliedFix[] = [];
  let passes = 0;
  while (passes < MAX_FIX_PASSES) {
    const edits = file.diagnostics
      .filter((d) => d.fix !== undefined && text.slice(d.fix.range[0], d.fix.range[1]) !== d.fix.text)
      .sort((a, b) => b.fix!.range[0] - a.fix!.range[0]);
    if (edits.length === 0) break;
    passes++;
    let next = text;
    let floor = Number.POSITIVE_INFINITY;
    const before = fixes.length;
    for (const d of edits) {
      const [start, end] = d.fix!.range;
      // from the end backwards: an edit that overlaps one already made waits for the next pass
      if (end > floor) continue;
      next = next.slice(0, start) + d.fix!.text + keepCommentColumn(next.slice(end), d.fix!.text.length - (end - start));
      floor = start;
      fixes.push({ ruleId: d.ruleId, messageId: d.messageId, line: d.line, column: d.column, ...(d.profile ? { profile: d.profile } : {}), before: text.slice(start, end), after: d.fix!.text });
    }
    const relinted = lintSource(path, next, options);
    // a repair must never leave a file that no longer parses: that pass is dropped, and so are
    // the fixes it recorded
    if (brokenSyntax(relinted) && !brokenSyntax(file)) {
      fixes.splice(before);
      break;
    }
    text = next;
    file = relinted;
  }
  fixes.sort((a, b) => a.line - b.line || a.column - b.column);
  const output = bom + text;
  return { output, changed: output !== source, fixes, passes, file: fixes.length ? { ...file, fixes } : file };
}

/**
 * After a token grew or shrank by `delta`, the spaces before a comment on the same line give or
 * take the difference, so aligned comments stay in their column (at least one space is kept).
 */
function keepCommentColumn(rest: string, delta: number): string {
  const m = /^( +)#/.exec(rest);
  if (!m || delta === 0) return rest;
  const spaces = Math.max(1, m[1]!.length - delta);
  return ' '.repeat(spaces) + rest.slice(m[1]!.length);
}

const brokenSyntax = (f: LintedFile): boolean => f.diagnostics.some((d) => d.ruleId === 'yaml-syntax' && d.severity === 'error');
