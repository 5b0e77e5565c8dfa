/**
 * Helpers shared by the reporters (not a format: the registry is index.ts). Everything here is
 * pure: it sees the report, never the disk, the environment or the terminal.
 */
import type { CheckResult, CheckStatus, Diagnostic, FileResult, Report, Severity } from '../types.ts';

export interface Counts {
  errors: number;
  warnings: number;
  infos: number;
  checks: Record<CheckStatus, number>;
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Diagnostics in reading order (line, column, then errors first); the input is not changed. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) => a.line - b.line || a.column - b.column || SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity],
  );
}

/**
 * The files as a reporter shows them. `--quiet` works as in ESLint: the report is filtered first
 * (errors and failed checks only), then formatted, so counts match what is shown.
 */
export function visibleFiles(report: Report, quiet = false): FileResult[] {
  return report.files.map((file) => ({
    ...file,
    diagnostics: sortDiagnostics(quiet ? file.diagnostics.filter((d) => d.severity === 'error') : file.diagnostics),
    checks: quiet ? file.checks.filter((c) => c.status === 'fail') : [...file.checks],
  }));
}

export function countOf(files: readonly FileResult[]): Counts {
  const counts: Counts = { errors: 0, warnings: 0, infos: 0, checks: { pass: 0, warn: 0, fail: 0, skip: 0 } };
  for (const file of files) {
    for (const d of file.diagnostics) {
      if (d.severity === 'error') counts.errors++;
      else if (d.severity === 'warning') counts.warnings++;
      else counts.infos++;
    }
    for (const c of file.checks) counts.checks[c.status]++;
  }
  return counts;
}

/** Checks grouped by profile, profiles in order of first appearance, checks in run order. */
export function checksByProfile(checks: readonly CheckResult[]): Array<[string, CheckResult[]]> {
  const groups = new Map<string, CheckResult[]>();
  for (const check of checks) {
    const group = groups.get(check.profile);
    if (group) group.push(check);
    else groups.set(check.profile, [check]);
  }
  return [...groups];
}

/** `1 error`, `2 errors` */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

// ---------------------------------------------------------------------------------------------
// Text safety. Messages quote user values and server replies (untrusted): a reporter must not let
// them move the cursor, recolour the terminal, reorder text (Trojan Source, CVE-2021-42574) or
// break the output format.

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Replaces every control character except those in `keep` by a visible one-column stand-in:
 * C0 controls by their Unicode Control Pictures (ESC → ␛), DEL by ␡; C1 controls, bidirectional
 * formatting characters, lone surrogates and the non-characters U+FFFE/U+FFFF by U+FFFD. One
 * code unit in, one code unit out, so columns stay where they were.
 */
export function visibleControls(text: string, keep = ''): string {
  return text.replace(LONE_SURROGATE, '\uFFFD').replace(/[\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069\uFFFE\uFFFF]/g, (ch) => {
    if (keep.includes(ch)) return ch;
    const code = ch.charCodeAt(0);
    if (code < 0x20) return String.fromCharCode(0x2400 + code);
    if (code === 0x7f) return '\u2421';
    return '\uFFFD';
  });
}

/**
 * The lines of a source as the engine numbers them: split on LF, a CR before the LF dropped
 * (CRLF files). A lone CR is left in the line; callers make it visible.
 */
export function sourceLines(source: string): string[] {
  return source.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
}

/** A path as written in reports: forward slashes, no leading `./`. */
export function displayPath(path: string): string {
  let p = path.replace(/\\/g, '/');
  while (p.startsWith('./')) p = p.slice(2);
  return p;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Where a profile's key is written, for results that have no location of their own (checks).
 * A conservative scan of block-style YAML: the first `  <name>:` line after a top-level
 * `profiles:`. Returns undefined when it is not found (flow style, anchors, quoting with escapes),
 * and callers fall back to line 1.
 */
export function profileKeyLocation(
  source: string | undefined,
  profile: string,
): { line: number; column: number; endColumn: number } | undefined {
  if (source === undefined) return undefined;
  const lines = sourceLines(source);
  const start = lines.findIndex((l) => /^profiles\s*:\s*(#.*)?$/.test(l));
  if (start < 0) return undefined;
  const key = new RegExp(`^(\\s+)(["']?)${escapeRegExp(profile)}\\2\\s*:(\\s|$)`);
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (/^\S/.test(line) && !line.startsWith('#')) return undefined; // next top-level key
    const m = key.exec(line);
    if (m) {
      const column = (m[1] ?? '').length + 1;
      return { line: i + 1, column, endColumn: column + profile.length + 2 * (m[2] ?? '').length };
    }
  }
  return undefined;
}
