/**
 * Programmatic deploy: for every `targets:` entry of one mail.yaml, lint must pass, the online
 * checks of the profiles used must pass — a skipped check, e.g. a login not tried for want of its
 * secret, counts as failed — (and the test message, when asked), every output must
 * render; only then is every `out` written, all at once and atomically. On any failure nothing
 * is written or changed. Never prints, never exits.
 */
import { promises as fs } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { interpolateProfile } from './config/interpolate.ts';
import { revealSecret, SecretError, type Secret } from './config/secret.ts';
import { outputMode, writeAllAtomic, type AtomicHooks, type WriteOp } from './deploy/atomic.ts';
import { assertWritable, readBoundedText, targetOf, type WriteTarget } from './safety/fs.ts';
import { diffLines, redactLine, type DiffLine } from './deploy/diff.ts';
import { buildReport, exitCodeOf, lintPaths, type LintedFile } from './engine.ts';
import { isMailcheckError, MailcheckError } from './errors.ts';
import { render, RENDERERS } from './render.ts';
import type { CheckResult, Profile, RenderWarning, Report, SeveritySetting, TargetEntry } from './types.ts';

export type { DiffLine } from './deploy/diff.ts';
export type { AtomicHooks } from './deploy/atomic.ts';

export interface DeployOptions {
  /** where secrets and `${VAR}` resolve from (process env merged with --env-file) */
  env: Record<string, string | undefined>;
  /** folder relative paths are resolved from. @default process.cwd() */
  cwd?: string;
  /** plan and report, write nothing. @default false */
  dryRun?: boolean;
  /** also send a real test message with every profile used, and require it to be accepted */
  sendTest?: { to: string; subject?: string };
  /** `--rule` overrides */
  ruleOverrides?: Record<string, SeveritySetting>;
  /** the clock of date-based rules. @default new Date() */
  now?: Date;
  /** more warnings (lint + checks) than this fail the gate; unlimited when absent */
  maxWarnings?: number;
  /** per-step timeout of the checks and the test message. @default 10000 */
  timeoutMs?: number;
  /**
   * The whole deploy: the checks and every test message share it; at the deadline unfinished
   * checks are skipped (reason `deadline`) and a test message in flight is abandoned. @default 60000
   */
  deadlineMs?: number;
  /** DNS server for the checks, `HOST[:PORT]` */
  resolver?: string;
  /** extra CA for HTTPS lookups (MTA-STS), and the policy port (local sandboxes) */
  caPem?: string;
  mtaStsPort?: number;
  /** profiles checked at once. @default 8 */
  concurrency?: number;
  /** progress of the checks */
  onCheckEvent?: (e: import('./checks/run.ts').CheckEvent) => void;
  /** test seams of the atomic writer */
  hooks?: AtomicHooks;
}

/** A file deploy writes (or would write). */
export interface PlannedFile {
  /** absolute path */
  path: string;
  /** path relative to cwd when below it */
  display: string;
  target: string;
  profile: string;
  secrets: 'ref' | 'inline';
  mode: number;
  change: 'create' | 'update' | 'unchanged';
  /** what changes, lines that may hold a secret hidden */
  diff: DiffLine[];
}

export type DeployStage = 'lint' | 'targets' | 'check' | 'send' | 'render' | 'write';

export interface SendOutcome {
  profile: string;
  ok: boolean;
  /** the server's reply, or why it failed (never a secret) */
  message: string;
  messageId?: string;
}

export interface DeployResult {
  /** every gate passed, and (unless dry-run) the files were written */
  ok: boolean;
  /** the gate that stopped the deploy */
  failedAt?: DeployStage;
  /** why, one line each */
  problems: string[];
  /** the lint diagnostics and check results, as `mailcheck check` reports them */
  report: Report;
  /** the linted file with its checks */
  file: LintedFile;
  sends: SendOutcome[];
  /** what the targets cannot express */
  warnings: RenderWarning[];
  files: PlannedFile[];
  written: boolean;
}

interface Rendered {
  entry: TargetEntry;
  path: string;
  content: string;
}

function displayPath(cwd: string, abs: string): string {
  const rel = relative(cwd, abs);
  return rel && !rel.startsWith('..') ? rel : abs;
}

/** The file a write would replace (already checked to be a regular file or absent), for the diff. */
async function readExisting(path: string): Promise<{ content: string; mode: number } | undefined> {
  const st = await fs.lstat(path).catch(() => undefined);
  if (!st) return undefined;
  return { content: readBoundedText(path, { label: 'output', noFollow: true }), mode: st.mode & 0o777 };
}

/** Checks that every entry names a known target and profile, and that no two write one path. */
function validateTargets(file: LintedFile): string[] {
  const problems: string[] = [];
  const names = new Set(file.profiles.map((p) => p.name));
  const outs = new Map<string, number>();
  file.targets.forEach((t, i) => {
    const where = `targets[${i}]`;
    if (!RENDERERS[t.target]) problems.push(`${where}: unknown target "${t.target}" (run \`mailcheck targets\`)`);
    if (!names.has(t.profile)) problems.push(`${where}: no profile named "${t.profile}"`);
    const out = resolve(file.baseDir, t.out);
    if (outs.has(out)) problems.push(`${where}: out ${t.out} is also written by targets[${outs.get(out)}]`);
    outs.set(out, i);
  });
  return problems;
}

/**
 * Deploys the `targets:` of one mail.yaml. Gate failures (lint errors, failed checks, a refused
 * test message, a setting that cannot be rendered) come back as `ok: false` with `failedAt`;
 * a failure of the tool (file not found, no targets) throws {@link MailcheckError}.
 */
export async function deploy(path: string, options: DeployOptions): Promise<DeployResult> {
  const cwd = options.cwd ?? process.cwd();
  const endsAt = Date.now() + (options.deadlineMs ?? 60_000);
  // the environment is given so that values from it are judged after interpolation (SPEC §7)
  const lintOptions = { cwd, env: options.env, ...(options.ruleOverrides ? { ruleOverrides: options.ruleOverrides } : {}), ...(options.now ? { now: options.now } : {}) };
  const files = await lintPaths([path], lintOptions);
  if (files.length !== 1) throw new MailcheckError('E_USAGE', `deploy takes one mail.yaml, found ${files.length}`, 'name the file');
  const file = files[0]!;
  const result: DeployResult = {
    ok: false,
    problems: [],
    report: buildReport([file]),
    file,
    sends: [],
    warnings: [],
    files: [],
    written: false,
  };
  const fail = (stage: DeployStage, problems: string[]): DeployResult => {
    result.failedAt = stage;
    result.problems.push(...problems);
    return result;
  };

  if (exitCodeOf(result.report, options.maxWarnings) !== 0) {
    return fail('lint', [`${file.path}: lint found problems; nothing was checked or written`]);
  }
  if (file.targets.length === 0) {
    throw new MailcheckError('E_NO_TARGETS', `${file.path} has no targets: to deploy`, 'add e.g. targets: [{ target: laravel, profile: production, out: deploy/mail.env }]');
  }
  const targetProblems = validateTargets(file);
  if (targetProblems.length) return fail('targets', targetProblems);

  const used = [...new Set(file.targets.map((t) => t.profile))];
  const profiles = used.map((name) => file.profiles.find((p) => p.name === name)!);
  const allowCleartextAuth = file.ruleSeverity('cleartext-auth') === 'off';

  // the checks: every profile a target uses must pass
  const { runChecks } = await import('./checks/run.ts');
  const checks: CheckResult[] = await runChecks(profiles, {
    env: options.env,
    baseDir: file.baseDir,
    timeoutMs: options.timeoutMs ?? 10_000,
    deadlineMs: Math.max(1, endsAt - Date.now()),
    concurrency: options.concurrency ?? 8,
    ...(options.resolver ? { resolver: options.resolver } : {}),
    ...(options.caPem ? { caPem: options.caPem } : {}),
    ...(options.mtaStsPort ? { mtaStsPort: options.mtaStsPort } : {}),
    allowCleartextAuth: () => allowCleartextAuth,
    ...(options.onCheckEvent ? { onEvent: options.onCheckEvent } : {}),
  });
  file.checks = checks;
  result.report = buildReport([file]);
  // a skipped check (no secret to log in with…) proves nothing: deploy needs every check to run
  const failed = checks.filter((c) => c.status === 'fail').map((c) => `${c.profile}: ${c.id} failed: ${c.message}`);
  const skipped = checks.filter((c) => c.status === 'skip').map((c) => `${c.profile}: ${c.id} could not run: ${c.message}`);
  if (failed.length || skipped.length) return fail('check', [...failed, ...skipped]);
  if (exitCodeOf(result.report, options.maxWarnings) !== 0) return fail('check', ['more warnings than --max-warnings allows']);

  if (options.sendTest) {
    const { sendTest } = await import('./send.ts');
    for (const profile of profiles) {
      const left = endsAt - Date.now();
      if (left <= 0) {
        result.sends.push({ profile: profile.name, ok: false, message: 'not sent: the deadline was reached' });
        continue;
      }
      try {
        const r = await sendTest(profile, {
          deadlineMs: left,
          to: options.sendTest.to,
          ...(options.sendTest.subject !== undefined ? { subject: options.sendTest.subject } : {}),
          env: options.env,
          baseDir: file.baseDir,
          timeoutMs: options.timeoutMs ?? 10_000,
          allowCleartextAuth,
        });
        const ok = r.rejected.length === 0;
        result.sends.push({ profile: profile.name, ok, message: ok ? r.response : `rejected ${r.rejected.join(', ')}: ${r.response}`, messageId: r.messageId });
      } catch (err) {
        if (!isMailcheckError(err)) throw err;
        result.sends.push({ profile: profile.name, ok: false, message: err.message });
      }
    }
    const refused = result.sends.filter((s) => !s.ok);
    if (refused.length) return fail('send', refused.map((s) => `${s.profile}: the test message failed: ${s.message}`));
  }

  // render everything in memory; a failure here still writes nothing
  const rendered: Rendered[] = [];
  const revealedValues: string[] = [];
  const renderProblems: string[] = [];
  for (const entry of file.targets) {
    const secrets = entry.secrets ?? 'ref';
    try {
      const profile: Profile = interpolateProfile(file.profiles.find((p) => p.name === entry.profile)!, options.env);
      const reveal = (s: Secret): string => {
        try {
          const v = revealSecret(s, { env: options.env, baseDir: file.baseDir });
          revealedValues.push(v);
          return v;
        } catch (err) {
          if (err instanceof SecretError) throw new MailcheckError('E_SECRET', err.message, err.hint);
          throw err;
        }
      };
      const out = render(profile, entry.target, { secrets, reveal, baseDir: file.baseDir, ...(entry.version !== undefined ? { version: entry.version } : {}) });
      result.warnings.push(...out.warnings);
      const main = targetOf(entry.out, file.baseDir);
      out.files.forEach((f, i) => {
        const target: WriteTarget = i === 0 ? main : { ...main, shown: join(dirname(entry.out), f.name), path: join(dirname(main.path), f.name) };
        // SPEC §7: only a regular file (or a new one), never through a link, a relative out:
        // inside the mail.yaml's folder; refused before anything is read for the diff
        assertWritable(target);
        rendered.push({ entry, path: target.path, content: f.content });
      });
    } catch (err) {
      if (!isMailcheckError(err)) throw err;
      renderProblems.push(`${entry.target} (${entry.profile}): ${err.message}`);
    }
  }
  const seen = new Set<string>();
  for (const r of rendered) {
    if (seen.has(r.path)) renderProblems.push(`${displayPath(cwd, r.path)} would be written twice`);
    seen.add(r.path);
  }
  if (renderProblems.length) return fail('render', renderProblems);

  const ops: WriteOp[] = [];
  for (const r of rendered) {
    const secrets = r.entry.secrets ?? 'ref';
    const existing = await readExisting(r.path);
    const mode = outputMode(secrets, existing?.mode);
    const change = !existing ? 'create' : existing.content !== r.content || existing.mode !== mode ? 'update' : 'unchanged';
    const diff = diffLines(existing?.content ?? '', r.content).map((d) => ({ op: d.op, text: redactLine(d.text, revealedValues) }));
    result.files.push({ path: r.path, display: displayPath(cwd, r.path), target: r.entry.target, profile: r.entry.profile, secrets, mode, change, diff });
    if (change !== 'unchanged') ops.push({ path: r.path, content: r.content, mode });
  }
  if (options.dryRun) {
    result.ok = true;
    return result;
  }
  try {
    await writeAllAtomic(ops, options.hooks);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return fail('write', [`writing failed${code ? ` (${code})` : ''}: ${(err as Error).message}; every file was left as it was`]);
  }
  result.ok = true;
  result.written = ops.length > 0;
  return result;
}
