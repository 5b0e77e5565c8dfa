import picocolors from 'picocolors';
import type { CheckResult, CheckStatus, Diagnostic, FileResult, Reporter, Severity } from '../types.ts';
import {
  checksByProfile,
  summarize,
  displayPath,
  plural,
  redactedSourceLines,
  type RedactedLine,
  visibleControls,
  visibleFiles,
} from './common.ts';

type Colors = ReturnType<typeof picocolors.createColors>;

/** Widest source excerpt shown under a diagnostic, in terminal columns; longer lines are cut around the column. */
const MAX_SOURCE_WIDTH = 100;
/** Columns kept before the caret when a long line is cut. */
const CONTEXT_BEFORE = 30;
const TAB_WIDTH = 4;
/** Code units of a long line laid out around a diagnostic's column (far more than is shown). */
const LAYOUT_WINDOW = 1000;

const isLowSurrogate = (u: number): boolean => u >= 0xdc00 && u <= 0xdfff;

const STATUS_SYMBOL: Record<CheckStatus, string> = { pass: '✔', warn: '⚠', fail: '✖', skip: '○' };

function severityColor(c: Colors, severity: Severity): (s: string) => string {
  return severity === 'error' ? c.red : severity === 'warning' ? c.yellow : c.blue;
}

function statusColor(c: Colors, status: CheckStatus): (s: string) => string {
  return status === 'pass' ? c.green : status === 'warn' ? c.yellow : status === 'fail' ? c.red : c.dim;
}

/** Message or hint text as lines: controls made visible, embedded newlines kept as line breaks. */
function textLines(text: string): string[] {
  return visibleControls(text.replace(/\r\n?/g, '\n'), '\n').split('\n');
}

// ---------------------------------------------------------------------------------------------
// Source excerpt with a caret

function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf && cp !== 0x303f) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

interface Cell {
  text: string;
  /** display column where the cell starts (0-based) */
  start: number;
  width: number;
}

/**
 * Lays a source line out in terminal cells. Columns of diagnostics count UTF-16 code units (what
 * the YAML parser reports); `at[i]` is the display column of code unit i.
 */
function layout(line: string): { cells: Cell[]; at: number[]; width: number } {
  const cells: Cell[] = [];
  const at: number[] = [];
  let col = 0;
  for (let i = 0; i < line.length; ) {
    const cp = line.codePointAt(i) ?? 0;
    const units = cp > 0xffff ? 2 : 1;
    let text: string;
    let width: number;
    if (cp === 0x09) {
      width = TAB_WIDTH - (col % TAB_WIDTH);
      text = ' '.repeat(width);
    } else {
      text = visibleControls(String.fromCodePoint(cp));
      width = cp >= 0x300 && cp <= 0x36f ? 0 : isWide(cp) ? 2 : 1;
    }
    for (let u = 0; u < units; u++) at.push(col);
    cells.push({ text, start: col, width });
    col += width;
    i += units;
  }
  at.push(col);
  return { cells, at, width: col };
}

/** The excerpt and caret lines (without gutter), or undefined when the line is not in the source. */
function excerpt(lines: RedactedLine[], d: Diagnostic): [string, string] | undefined {
  const source = lines[d.line - 1];
  if (source === undefined) return undefined;
  const { map } = source;
  const unit = (column: number): number => map[Math.min(Math.max(column - 1, 0), map.length - 1)] ?? source.text.length;
  // A long line is laid out only around the column (a hostile file has 1 MiB lines and thousands
  // of diagnostics on them: laying the whole line out for each one was quadratic).
  let text = source.text;
  let base = 0;
  let cutBefore = false;
  let cutAfter = false;
  if (text.length > LAYOUT_WINDOW) {
    const at = unit(d.column);
    base = Math.max(0, at - LAYOUT_WINDOW / 2);
    let end = Math.min(text.length, base + LAYOUT_WINDOW);
    if (base > 0 && isLowSurrogate(text.charCodeAt(base))) base++;
    if (end < text.length && isLowSurrogate(text.charCodeAt(end))) end++;
    cutBefore = base > 0;
    cutAfter = end < text.length;
    text = text.slice(base, end);
  }
  const local = (u: number): number => Math.min(Math.max(u - base, 0), text.length);
  const { cells, at, width } = layout(text);
  const startUnit = local(unit(d.column));
  const caretStart = at[startUnit] ?? width;
  let caretEnd = caretStart;
  if (d.endLine === d.line) caretEnd = at[Math.max(local(unit(d.endColumn)), startUnit)] ?? width;
  else if (d.endLine > d.line) caretEnd = width;
  if (caretEnd <= caretStart) caretEnd = caretStart + 1;

  let shown = cells;
  let lead = cutBefore ? '…' : '';
  let tail = cutAfter ? '…' : '';
  if (width > MAX_SOURCE_WIDTH) {
    const room = MAX_SOURCE_WIDTH - 2; // one column for each ellipsis
    let from = Math.max(0, caretStart - CONTEXT_BEFORE);
    let to = from + room;
    if (to > width) {
      to = width;
      from = Math.max(0, to - room);
    }
    shown = cells.filter((c) => c.start >= from && c.start + c.width <= to);
    if (cutBefore || (shown.length < cells.length && shown[0] !== cells[0])) lead = '…';
    if (cutAfter || (shown.length < cells.length && shown[shown.length - 1] !== cells[cells.length - 1])) tail = '…';
  }
  const first = shown[0];
  const lastCell = shown[shown.length - 1];
  const offset = first ? first.start : 0;
  const shownEnd = lastCell ? lastCell.start + lastCell.width : 0;
  const from = Math.max(caretStart, offset);
  const to = Math.max(Math.min(caretEnd, Math.max(shownEnd, caretStart + 1)), from + 1);
  const body = lead + shown.map((c) => c.text).join('') + tail;
  const caret = ' '.repeat(lead.length + from - offset) + '^'.repeat(to - from);
  return [body.trimEnd(), caret];
}

// ---------------------------------------------------------------------------------------------

function formatFile(file: FileResult, c: Colors): string[] {
  const out: string[] = [c.underline(visibleControls(displayPath(file.path)))];
  const lines = file.source === undefined ? undefined : redactedSourceLines(file.source);
  const positions = file.diagnostics.map((d) => `${d.line}:${d.column}`);
  const posWidth = Math.max(0, ...positions.map((p) => p.length));
  const sevWidth = Math.max(0, ...file.diagnostics.map((d) => d.severity.length));

  const gutterWidth = Math.max(0, ...file.diagnostics.map((d) => String(d.line).length));

  file.diagnostics.forEach((d, i) => {
    if (i > 0) out.push('');
    const color = severityColor(c, d.severity);
    const [first = '', ...rest] = textLines(d.message);
    out.push(
      `  ${c.dim((positions[i] ?? '').padStart(posWidth))}  ${color(d.severity.padEnd(sevWidth))}  ${first}  ${c.dim(visibleControls(d.ruleId))}`,
    );
    const indent = ' '.repeat(posWidth + sevWidth + 6);
    for (const line of rest) out.push(`${indent}${line}`);
    const frame = lines === undefined ? undefined : excerpt(lines, d);
    if (frame) {
      out.push(`    ${c.dim(`${String(d.line).padStart(gutterWidth)} |`)}${frame[0] ? ` ${frame[0]}` : ''}`);
      const carets = frame[1].trimStart();
      const pad = frame[1].slice(0, frame[1].length - carets.length);
      out.push(`    ${c.dim(`${' '.repeat(gutterWidth)} |`)} ${pad}${color(carets)}`);
    }
    if (d.hint) {
      const [h = '', ...hs] = textLines(d.hint);
      out.push(`    ${c.cyan('hint:')} ${h}`);
      for (const line of hs) out.push(`          ${line}`);
    }
  });

  // results about a From domain that several profiles share are shown once, under the domain
  // (issue 12: deliverability grouped per From domain, not repeated per profile)
  const { byDomain, rest } = groupByDomain(file.checks);
  const idWidth = Math.max(0, ...file.checks.map((k) => k.id.length));
  const printCheck = (check: CheckResult): void => {
    const color = statusColor(c, check.status);
    const [first = '', ...more] = textLines(check.message);
    out.push(`    ${color(STATUS_SYMBOL[check.status])} ${visibleControls(check.id).padEnd(idWidth)}  ${first}`);
    const indent = ' '.repeat(idWidth + 8);
    for (const line of more) out.push(`${indent}${line}`);
    if (check.hint) {
      const [h = '', ...hs] = textLines(check.hint);
      out.push(`      ${c.cyan('hint:')} ${h}`);
      for (const line of hs) out.push(`            ${line}`);
    }
  };
  for (const [domain, { profiles, checks }] of byDomain) {
    if (out.length > 1) out.push('');
    out.push(`  ${c.bold(`checks · domain ${visibleControls(domain)}`)} ${c.dim(`(profiles ${profiles.map((p) => visibleControls(p)).join(', ')})`)}`);
    for (const check of checks) printCheck(check);
  }
  for (const [profile, checks] of checksByProfile(rest)) {
    if (out.length > 1) out.push('');
    out.push(`  ${c.bold(`checks · ${visibleControls(profile)}`)}`);
    for (const check of checks) printCheck(check);
  }
  return out;
}

/**
 * Results that are the same for every profile sending from one domain (same check, domain, status
 * and message), when at least two profiles share it: shown once per domain. The rest stay per profile.
 */
function groupByDomain(checks: readonly CheckResult[]): { byDomain: Map<string, { profiles: string[]; checks: CheckResult[] }>; rest: CheckResult[] } {
  const domainOf = (r: CheckResult): string | undefined => (typeof r.details?.domain === 'string' ? r.details.domain : undefined);
  const key = (r: CheckResult): string => `${r.id}\u0000${domainOf(r)}\u0000${r.status}\u0000${r.message}`;
  const seen = new Map<string, Set<string>>();
  for (const r of checks) if (domainOf(r) !== undefined) seen.set(key(r), (seen.get(key(r)) ?? new Set()).add(r.profile));
  const byDomain = new Map<string, { profiles: string[]; checks: CheckResult[] }>();
  const rest: CheckResult[] = [];
  const shown = new Set<string>();
  for (const r of checks) {
    const profiles = seen.get(key(r));
    if (!profiles || profiles.size < 2) {
      rest.push(r);
      continue;
    }
    if (shown.has(key(r))) continue;
    shown.add(key(r));
    const domain = domainOf(r)!;
    const group = byDomain.get(domain) ?? { profiles: [], checks: [] };
    for (const p of profiles) if (!group.profiles.includes(p)) group.profiles.push(p);
    group.checks.push(r);
    byDomain.set(domain, group);
  }
  return { byDomain, rest };
}

function summary(files: FileResult[], c: Colors): string[] {
  const n = summarize(files);
  const problems = n.errors + n.warnings + n.infos;
  const out: string[] = [];
  const k = n.checks;
  if (problems === 0 && k.fail === 0) {
    // "no problems" only when nothing failed: a failed check is a problem even with a clean file
    out.push(c.green(c.bold('✔ no problems')));
  } else if (problems === 0) {
    out.push(c.red(c.bold(`✖ ${plural(k.fail, 'check')} failed (the file lints clean)`)));
  } else {
    const parts = [plural(n.errors, 'error'), plural(n.warnings, 'warning')];
    if (n.infos > 0) parts.push(plural(n.infos, 'info'));
    const symbol = n.errors > 0 ? '✖' : n.warnings > 0 ? '⚠' : 'ℹ';
    const color = n.errors > 0 ? c.red : n.warnings > 0 ? c.yellow : c.blue;
    out.push(color(c.bold(`${symbol} ${plural(problems, 'problem')} (${parts.join(', ')})`)));
    // as ESLint does: say how many `lint --fix` would repair
    const fixable = files.reduce((sum, f) => sum + f.diagnostics.filter((d) => d.fix).length, 0);
    if (fixable > 0) out.push(color(`  ${fixable} of them can be fixed with \`mailcheck lint --fix\` (see --fix-dry-run)`));
  }
  if (k.pass + k.warn + k.fail + k.skip > 0) {
    const parts: string[] = [];
    if (k.pass > 0) parts.push(c.green(`${k.pass} passed`));
    if (k.warn > 0) parts.push(c.yellow(`${k.warn} warned`));
    if (k.fail > 0) parts.push(c.red(`${k.fail} failed`));
    if (k.skip > 0) parts.push(c.dim(`${k.skip} skipped`));
    out.push(`  checks: ${parts.join(', ')}`);
  }
  return out;
}

/**
 * ESLint-like human output: per file, each diagnostic with the source line and a caret, its
 * hint, then the file's checks grouped by profile; a summary at the end. Prints nothing when
 * there is nothing to show (as ESLint does for a clean run).
 */
export const stylish: Reporter = (report, options) => {
  const c = picocolors.createColors(options.color);
  const files = visibleFiles(report, options.quiet).filter((f) => f.diagnostics.length > 0 || f.checks.length > 0);
  if (files.length === 0) return '';
  const out: string[] = [];
  for (const file of files) out.push(...formatFile(file, c), '');
  out.push(...summary(files, c));
  return `${out.join('\n')}\n`;
};
