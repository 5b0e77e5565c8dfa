import { lstatSync, readdirSync, statSync } from 'node:fs';
import { kindOf, readBounded } from './safety/fs.ts';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { resolveProfiles, resolveTargets } from './config/resolve.ts';
import { durationViolations } from './config/duration.ts';
import { joinPointer, splitPointer } from './config/pointer.ts';
import { MAX_FILE_BYTES, oversizedSource, parseSource, type ParsedSource } from './config/source.ts';
import { validateSchema } from './config/validate.ts';
import { MailcheckError } from './errors.ts';
import { findPreset } from './presets/index.ts';
import { summarize } from './report/common.ts';
import { RULES } from './rules/index.ts';
import type {
  CheckResult,
  Diagnostic,
  FileResult,
  Profile,
  Report,
  RuleContext,
  SchemaViolation,
  Severity,
  SeveritySetting,
  Summary,
  TargetEntry,
} from './types.ts';
import { formatMessage as format } from './format.ts';
import { VERSION } from './version.ts';

export interface LintOptions {
  /** folder that relative paths are resolved from and shown relative to. @default process.cwd() */
  cwd?: string;
  /** severity overrides (`--rule`), applied over the file's own `rules:` */
  ruleOverrides?: Record<string, SeveritySetting>;
  /** the clock of date-based rules. @default new Date() */
  now?: Date;
  /**
   * The environment the run will use (`check`, `send`, `deploy`): rules then also judge values
   * after `${VAR}` interpolation (a CRLF from the environment is a diagnostic naming the field
   * and the variable). `lint` leaves it out: it never needs the environment.
   */
  env?: Record<string, string | undefined>;
}

/** A linted file: its report entry plus what later stages (check, render, deploy) need. */
export interface LintedFile extends FileResult {
  absPath: string;
  /** folder of the file: `{ file: }` secrets and `tls.ca` resolve from it */
  baseDir: string;
  /** the profiles, `defaults` and presets merged under them (schema-valid ones only) */
  profiles: Profile[];
  targets: TargetEntry[];
  /** the severity in force for a rule in this file */
  ruleSeverity(id: string): SeveritySetting;
}

/**
 * Diagnostics shown per rule and file; the rest are counted in one last diagnostic of that rule,
 * so that a hostile file cannot make the output (or the time to lay it out) grow without bound.
 */
export const MAX_DIAGNOSTICS_PER_RULE = 100;

const isPlain = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function toSeverity(setting: SeveritySetting | Severity): Severity | undefined {
  if (setting === 'off') return undefined;
  if (setting === 'warn') return 'warning';
  return setting;
}

/** Profile requirements that only hold after `defaults` and presets are merged. */
function mergedRequirements(profiles: Profile[]): SchemaViolation[] {
  const out: SchemaViolation[] = [];
  const need = (p: Profile, key: string): void => {
    out.push({ keyword: 'profileRequires', instancePath: joinPointer(['profiles', p.name]), schemaPath: '', params: { missingProperty: key, profile: p.name } });
  };
  for (const p of profiles) {
    if (p.transport === 'smtp') {
      if (!p.host) need(p, 'host');
      if (p.port === undefined) need(p, 'port');
      if (!p.encryption) need(p, 'encryption');
    } else if (p.transport === 'http' && !p.http) need(p, 'http.url');
    else if (p.transport === 'sendmail' && !p.sendmail) need(p, 'sendmail.path');
  }
  return out;
}

const MORE = '… and {{count}} more {{rule}} problems in this file (only the first {{limit}} are shown)';

/**
 * The severity in force for a rule, given the file's and the command line's settings. Made out
 * here: a closure made in {@link lintParsed} would keep that call's scope (the profile views and
 * their origin maps) alive as long as the file's result.
 */
function severityLookup(explicit: Record<string, SeveritySetting>): (id: string) => SeveritySetting {
  return (id) => {
    const def = RULES.find((r) => r.meta.id === id)?.meta.severity ?? 'off';
    return explicit[id] ?? (def === 'warning' ? 'warn' : def);
  };
}

function lintParsed(path: string, absPath: string, parsed: ParsedSource, options: LintOptions): LintedFile {
  const syntaxErrors = parsed.problems.some((p) => p.severity === 'error');
  const data = parsed.data;
  let violations: SchemaViolation[] = syntaxErrors ? [] : [...validateSchema(data), ...durationViolations(data)];
  const root = isPlain(data) ? data : {};
  let views: ReturnType<typeof resolveProfiles> = [];
  if (!syntaxErrors && isPlain(data) && isPlain(data.profiles)) {
    const defaultsBroken = violations.some((v) => v.instancePath === '/defaults' || v.instancePath.startsWith('/defaults/'));
    // the profiles with a violation of their own, found in one pass (not one pass per profile)
    const broken = new Set<string>();
    for (const v of violations) {
      if (v.instancePath === '/profiles' && v.params.propertyName !== undefined) broken.add(String(v.params.propertyName));
      else if (v.instancePath.startsWith('/profiles/')) broken.add(splitPointer(v.instancePath)[1]!);
    }
    const names = defaultsBroken ? [] : Object.keys(data.profiles).filter((name) => !broken.has(name));
    views = resolveProfiles(data, names);
    violations = [...violations, ...mergedRequirements(views.map((v) => v.profile))];
  }
  const fileRules = !violations.some((v) => v.instancePath.startsWith('/rules')) && isPlain(root.rules) ? (root.rules as Record<string, SeveritySetting>) : {};
  const explicit: Record<string, SeveritySetting> = { ...fileRules, ...options.ruleOverrides };
  const ruleSeverity = severityLookup(explicit);
  const ctx: RuleContext = {
    file: path,
    syntaxProblems: parsed.problems,
    schemaViolations: violations,
    data: root,
    raw: data,
    profiles: views,
    now: options.now ?? new Date(),
    preset: findPreset,
    ...(options.env ? { env: options.env } : {}),
  };
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();
  const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
  for (const rule of RULES) {
    const id = rule.meta.id;
    const configured = toSeverity(ruleSeverity(id));
    if (!configured) continue;
    if (syntaxErrors && id !== 'yaml-syntax') continue;
    let shown = 0;
    let more: { count: number; severity: Severity; pointer: string; range: ReturnType<ParsedSource['locate']> } | undefined;
    const found = [...rule.check(ctx)];
    // a fix of a value in `defaults` changes every profile: kept only when every profile asks for it
    const defaultsFix = (f: (typeof found)[number]): boolean =>
      new Set(found.filter((g) => g.pointer === f.pointer && g.fix?.value === f.fix?.value).map((g) => g.profile)).size >= views.length;
    for (const f of found) {
      const severity = explicit[id] ? configured : (f.severity ?? configured);
      const template = rule.meta.messages[f.messageId] ?? f.messageId;
      const message = format(template, f.data);
      const key = `${id}|${f.pointer}|${f.range ? `${f.range.line}:${f.range.column}` : ''}|${message}`;
      if (seen.has(key)) continue; // a value in `defaults` is reported once, not once per profile
      seen.add(key);
      if (shown >= MAX_DIAGNOSTICS_PER_RULE) {
        if (more) {
          more.count++;
          if (RANK[severity] < RANK[more.severity]) more.severity = severity;
        } else {
          more = { count: 1, severity, pointer: f.pointer, range: f.range ?? parsed.locate(f.pointer, { atKey: f.atKey ?? false }) };
        }
        continue;
      }
      shown++;
      const range = f.range ?? parsed.locate(f.pointer, { atKey: f.atKey ?? false });
      const d: Diagnostic = { ruleId: id, severity, messageId: f.messageId, ...(f.data ? { data: f.data } : {}), message, ...range, pointer: f.pointer };
      if (f.profile !== undefined && !f.pointer.startsWith('/defaults')) d.profile = f.profile;
      const hintTemplate = f.hint ?? rule.meta.hints?.[f.messageId];
      if (hintTemplate) d.hint = format(hintTemplate, f.data);
      // `lint --fix`: a fixable rule's repair, as an edit of the scalar the finding points at
      const fixable = f.fix && rule.meta.fixable && SAFE_FIX.test(String(f.fix.value)) && (!f.pointer.startsWith('/defaults/') || defaultsFix(f));
      const span = fixable ? parsed.spanOf?.(f.pointer, { atKey: f.atKey ?? false }) : undefined;
      if (span && f.fix) d.fix = { range: [span.start, span.end], text: `${span.quote}${String(f.fix.value)}${span.quote}` };
      diagnostics.push(d);
    }
    if (more) {
      // at the first one left out, which is also where the reader's scroll stops
      diagnostics.push({ ruleId: id, severity: more.severity, messageId: 'more', data: { count: more.count, rule: id, limit: MAX_DIAGNOSTICS_PER_RULE }, message: format(MORE, { count: more.count, rule: id, limit: MAX_DIAGNOSTICS_PER_RULE }), ...more.range, pointer: more.pointer });
    }
  }
  diagnostics.sort((a, b) => a.line - b.line || a.column - b.column || a.ruleId.localeCompare(b.ruleId));
  const file: LintedFile = {
    path,
    source: parsed.text,
    diagnostics,
    checks: [] as CheckResult[],
    absPath,
    baseDir: dirname(absPath),
    profiles: views.map((v) => v.profile),
    targets: !syntaxErrors && isPlain(data) && !violations.some((v) => v.instancePath.startsWith('/targets')) ? resolveTargets(root) : [],
    ruleSeverity,
  };
  return file;
}

/** What a fix may write: a bare token (a port, an encryption, a host, a key), safe in any quoting. */
const SAFE_FIX = /^[A-Za-z0-9][A-Za-z0-9_.@-]{0,252}$/;

/** Lints a file's content. `path` is only used for display and to resolve relative paths. */
export function lintSource(path: string, source: string | Uint8Array, options: LintOptions = {}): LintedFile {
  const bytes = typeof source === 'string' ? new TextEncoder().encode(source) : source;
  const absPath = resolve(options.cwd ?? process.cwd(), path);
  return lintParsed(path, absPath, parseSource(bytes), options);
}

const GLOB = /[*?[\]{}]/;
const SKIP_DIRS = new Set(['node_modules', '.git']);

function isMailYaml(name: string): boolean {
  return name === 'mail.yaml' || name === 'mail.yml' || name.endsWith('.mail.yaml') || name.endsWith('.mail.yml');
}

/** Expands files, folders (every mail.yaml / *.mail.yaml below) and globs into file paths. */
export async function expandPaths(paths: readonly string[], cwd: string): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths.length > 0 ? paths : ['mail.yaml']) {
    const abs = isAbsolute(p) ? p : join(cwd, p);
    let stat: ReturnType<typeof statSync> | undefined;
    try {
      stat = statSync(abs);
    } catch {
      stat = undefined;
    }
    if (stat?.isFile()) {
      out.push(abs);
    } else if (stat && !stat.isDirectory()) {
      // named directly: say what it is (a FIFO is never opened; it would block)
      throw new MailcheckError('E_READ', `${p} is ${kindOf(stat)}, not a regular file`, 'name a mail.yaml file');
    } else if (stat?.isDirectory()) {
      const found = (readdirSync(abs, { recursive: true }) as string[])
        .filter((rel) => isMailYaml(rel.split(sep).pop()!) && !rel.split(sep).some((seg) => SKIP_DIRS.has(seg)))
        .sort()
        .map((rel) => join(abs, rel))
        // only regular files: a FIFO or a device named mail.yaml in a folder is passed over
        .filter((file) => lstatSync(file, { throwIfNoEntry: false })?.isFile() === true);
      if (found.length === 0) throw new MailcheckError('E_NOT_FOUND', `no mail.yaml or *.mail.yaml under ${p}`, 'name a file, or a folder that holds one');
      out.push(...found);
    } else if (GLOB.test(p)) {
      const { glob } = await import('tinyglobby');
      const found = (await glob(p, { cwd, absolute: true, ignore: ['**/node_modules/**', '**/.git/**'] })).sort();
      if (found.length === 0) throw new MailcheckError('E_NOT_FOUND', `no file matches ${p}`);
      out.push(...found);
    } else {
      throw new MailcheckError(
        'E_NOT_FOUND',
        `${p} not found`,
        paths.length === 0 ? 'create one with `mailcheck init`, or name the file: mailcheck lint path/to/mail.yaml' : 'check the path',
      );
    }
  }
  return [...new Set(out)];
}

/** Lints files, folders and globs. Throws {@link MailcheckError} (`E_NOT_FOUND`, `E_READ`) when a path cannot be read. */
export async function lintPaths(paths: readonly string[], options: LintOptions = {}): Promise<LintedFile[]> {
  const cwd = options.cwd ?? process.cwd();
  const files = await expandPaths(paths, cwd);
  return files.map((abs) => {
    const shown = relative(cwd, abs) || abs;
    const display = shown.startsWith('..') ? abs : shown;
    let parsed: ParsedSource;
    try {
      parsed = parseSource(readBounded(abs, { label: 'mail.yaml', maxBytes: MAX_FILE_BYTES }));
    } catch (err) {
      // a file over the cap is a diagnostic in the user's file, not a tool failure
      const size = statSync(abs, { throwIfNoEntry: false })?.size ?? 0;
      if (err instanceof MailcheckError && size > MAX_FILE_BYTES && statSync(abs).isFile()) parsed = oversizedSource(size);
      else if (err instanceof MailcheckError) throw new MailcheckError(err.code, err.message.replace(abs, display), err.hint);
      else throw err;
    }
    return lintParsed(display, abs, parsed, options);
  });
}

/** The SPEC §6 report. Strips the extra fields of {@link LintedFile}. */
export function buildReport(files: readonly FileResult[]): Report {
  const clean = files.map((f): FileResult => {
    const r: FileResult = { path: f.path, diagnostics: f.diagnostics, checks: f.checks };
    if (f.source !== undefined) r.source = f.source;
    if (f.fixes?.length) r.fixes = f.fixes;
    return r;
  });
  return { version: 1, tool: { name: 'mailcheck', version: VERSION }, files: clean, summary: summarize(files) };
}

/**
 * SPEC §2: 1 when an error or a failed check is present, or warnings exceed `maxWarnings`, or a
 * check was cut off by the deadline (`skip`, reason `deadline`: it did not fail, but the run did
 * not establish what it was asked to, and CI must not read that as success).
 */
export function exitCodeOf(report: Report, maxWarnings?: number): 0 | 1 {
  const s = report.summary;
  if (s.errors > 0 || s.checks.fail > 0) return 1;
  if (report.files.some((f) => f.checks.some((c) => c.status === 'skip' && (c.details?.reason === 'deadline' || c.details?.reason === 'aborted')))) return 1;
  if (maxWarnings !== undefined && s.warnings + s.checks.warn > maxWarnings) return 1;
  return 0;
}

export { interpolateProfile } from './config/interpolate.ts';
export { summarize } from './report/common.ts';
