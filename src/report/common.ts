/**
 * Helpers shared by the reporters (not a format: the registry is index.ts). Everything here is
 * pure: it sees the report, never the disk, the environment or the terminal.
 */
import type { CheckResult, Diagnostic, FileResult, Report, Severity, Summary } from '../types.ts';

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

/** The report's summary (SPEC §6): diagnostics by severity, checks by status. The engine uses it too. */
export function summarize(files: readonly FileResult[]): Summary {
  const counts: Summary = { errors: 0, warnings: 0, infos: 0, checks: { pass: 0, warn: 0, fail: 0, skip: 0 } };
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

export { visibleControls } from '../safety/sanitize.ts';

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

// ---------------------------------------------------------------------------------------------
// Secret values in source excerpts. The report holds the file's text, and a `plaintext-secret`
// diagnostic points right at a literal password: the excerpt must not echo it into a CI log.

const REDACTED = '[redacted]';
/** Keys whose value is a secret (SPEC §1) plus their common spellings in other tools. */
const SECRET_KEY =
  /(^|[\s{,])(["']?)(password|passwd|pass|clientSecret|client_secret|refreshToken|refresh_token|accessToken|access_token|apiKey|api_key|apikey|secret|token)\2[ \t]*:(?=[ \t]|$)/gi;
/** `${NAME}` alone is a reference, not a value (a `${NAME:-default}` default may be one). */
const PURE_REFERENCE = /^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/;

/** A source line with secret values replaced, and where each original code unit went. */
export interface RedactedLine {
  text: string;
  /** `map[i]` is the index in `text` of original code unit i (length: original length + 1) */
  map: number[];
}

function applyRanges(line: string, ranges: Array<[number, number]>): RedactedLine {
  const map: number[] = [];
  let text = '';
  let i = 0;
  for (const [s, e] of ranges) {
    // whole slices, not a character at a time: a hostile file has 1 MiB lines
    for (let k = i; k < s; k++) map.push(text.length + k - i);
    text += line.slice(i, s);
    i = s;
    const at = text.length;
    text += REDACTED;
    map.push(at);
    for (i = s + 1; i < e; i++) map.push(text.length);
    i = e;
  }
  for (let k = i; k < line.length; k++) map.push(text.length + k - i);
  text += line.slice(i);
  map.push(text.length);
  return { text, map };
}

function indentOf(line: string): number {
  return /^[ \t]*/.exec(line)?.[0].length ?? 0;
}

/** End (exclusive) of a quoted scalar opening at `start`, or -1 when it continues on later lines. */
function closingQuote(line: string, start: number): number {
  const quote = line[start];
  for (let i = start + 1; i < line.length; i++) {
    if (quote === '"' && line[i] === '\\') i++;
    else if (line[i] === quote) {
      if (quote === "'" && line[i + 1] === "'") i++;
      else return i + 1;
    }
  }
  return -1;
}

/**
 * The lines of a YAML source with the values of secret keys (`password:`, `apiKey:`, …) replaced
 * by `[redacted]`: plain, quoted (also over several lines) and block scalars, in block and flow
 * style. References (`${NAME}`, `{ env: … }`, `{ file: … }`) are kept: they are what users fix.
 */
export function redactedSourceLines(source: string): RedactedLine[] {
  const lines = sourceLines(source);
  const out: RedactedLine[] = [];
  /** an open multi-line secret: a block scalar (lines indented deeper) or a quoted scalar */
  let open: { kind: 'block'; indent: number } | { kind: 'quote'; quote: string } | undefined;

  for (const line of lines) {
    const ranges: Array<[number, number]> = [];
    let from = 0;
    if (open?.kind === 'block') {
      if (line.trim() === '' || indentOf(line) > open.indent) {
        if (line.trim() !== '') ranges.push([indentOf(line), line.length]);
        out.push(applyRanges(line, ranges));
        continue;
      }
      open = undefined;
    } else if (open?.kind === 'quote') {
      const end = closingQuote(`${open.quote}${line}`, 0) - 1; // index in `line` after the quote
      if (end < 0) {
        ranges.push([0, line.length]);
        out.push(applyRanges(line, ranges));
        continue;
      }
      ranges.push([0, end]);
      from = end;
      open = undefined;
    }

    SECRET_KEY.lastIndex = from;
    // brackets before the current key, counted once per line (not once per key: linear time)
    let scanned = 0;
    let depth = 0;
    for (let m = SECRET_KEY.exec(line); m; m = SECRET_KEY.exec(line)) {
      let start = m.index + m[0].length;
      while (line[start] === ' ' || line[start] === '\t') start++;
      const ch = line[start];
      if (ch === undefined || ch === '#' || ch === '{' || ch === '[' || ch === '*') continue;
      if (ch === '|' || ch === '>') {
        open = { kind: 'block', indent: indentOf(line) };
        break;
      }
      if (ch === '"' || ch === "'") {
        const end = closingQuote(line, start);
        if (end < 0) {
          ranges.push([start, line.length]);
          open = { kind: 'quote', quote: ch };
          break;
        }
        if (!PURE_REFERENCE.test(line.slice(start + 1, end - 1))) ranges.push([start, end]);
        SECRET_KEY.lastIndex = end;
        continue;
      }
      for (; scanned < m.index + 1; scanned++) {
        const b = line.charCodeAt(scanned);
        if (b === 0x7b || b === 0x5b) depth++;
        else if (b === 0x7d || b === 0x5d) depth--;
      }
      const inFlow = depth > 0;
      const stop = inFlow ? /\s#|[,}\]]/ : /\s#/;
      const rest = line.slice(start);
      const found = stop.exec(rest);
      const value = (found ? rest.slice(0, found.index) : rest).trimEnd();
      if (value && !PURE_REFERENCE.test(value)) ranges.push([start, start + value.length]);
      SECRET_KEY.lastIndex = start + value.length;
    }
    out.push(applyRanges(line, ranges));
  }
  return out;
}

/**
 * JSON for a terminal or a CI log: `JSON.stringify`, with the characters it leaves raw that can
 * still steer a reader — DEL, C1 controls (CSI is U+009B), line and paragraph separators,
 * bidirectional overrides — written as `\uXXXX` escapes. Still the same JSON to a parser.
 */
export function terminalSafeJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
