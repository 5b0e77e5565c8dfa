import { loadEnv } from '../../config/env.ts';
import { outsideText } from '../../safety/sanitize.ts';
import type { LintedFile } from '../../engine.ts';
import { MailcheckError } from '../../errors.ts';
import { RULE_IDS } from '../../rules/index.ts';
import type { CheckResult, Profile } from '../../types.ts';
import type { CommandContext, CommandModule } from '../context.ts';
import { addNetworkOptions, addOutputOptions, collect, durationFlag, httpsLookupOptions, parseResolverFlag, parseRuleFlags, recipientFlag, type NetworkFlags, type OutputFlags } from '../options.ts';
import { lintGate, printReport } from '../output.ts';

interface CheckFlags extends OutputFlags, NetworkFlags {
  profile: string[];
  only?: string[];
  rcpt?: string;
  saveRefreshToken?: boolean;
  verbose?: boolean;
}




/** The profiles `--profile` names in the linted files (all when none is named). */
export function pickProfiles(files: readonly LintedFile[], names: readonly string[]): Map<LintedFile, Profile[]> {
  const out = new Map<LintedFile, Profile[]>();
  const wanted = new Set(names);
  const seen = new Set<string>();
  for (const f of files) {
    const ps = wanted.size ? f.profiles.filter((p) => wanted.has(p.name)) : f.profiles;
    for (const p of ps) seen.add(p.name);
    out.set(f, ps);
  }
  const missing = [...wanted].filter((n) => !seen.has(n));
  if (missing.length) {
    const known = [...new Set(files.flatMap((f) => f.profiles.map((p) => p.name)))];
    throw new MailcheckError('E_USAGE', `no profile named ${missing.map((m) => `"${m}"`).join(', ')}`, `profiles: ${known.join(', ') || 'none'}`);
  }
  return out;
}

const STATUS_WORD: Record<CheckResult['status'], string> = { pass: 'pass', warn: 'warn', fail: 'FAIL', skip: 'skip' };

async function runCheck(ctx: CommandContext, path: string | undefined, flags: CheckFlags): Promise<void> {
  const io = ctx.io;
  const ruleOverrides = parseRuleFlags(flags.rule, RULE_IDS);
  const timeoutMs = durationFlag('--timeout', flags.timeout, 10_000);
  const deadlineMs = durationFlag('--deadline', flags.deadline, 60_000);
  // SPEC §7: the recipient goes into RCPT TO; a line break in it would add SMTP commands
  if (flags.rcpt !== undefined) recipientFlag('--rcpt', flags.rcpt);
  const { runChecks, resolveOnly, checkDescriptions } = await import('../../checks/run.ts');
  resolveOnly(flags.only);
  if (flags.resolver) parseResolverFlag(flags.resolver);
  const env = loadEnv(flags.envFile, io.env, io.cwd);
  const https = httpsLookupOptions(flags, io.cwd);

  // lint first: a file with errors is reported as is, and nothing touches the network
  const files = await lintGate(ctx, [path ?? 'mail.yaml'], flags, ruleOverrides, env);
  if (!files) return;
  const chosen = pickProfiles(files, flags.profile);
  const multi = files.length > 1;
  const label = (f: LintedFile, profile: string): string => (multi ? `${f.path}: ${profile}` : profile);
  const progress = createProgress(ctx, flags);

  const store = flags.saveRefreshToken ? await import('../../oauth/store.ts') : undefined;
  const runs = [...chosen].map(([file, profiles]) =>
    runChecks(profiles, {
      ...(store
        ? {
            oauth: {
              onRefreshToken: async (profile: Profile, token: string) => {
                await store.storeRefreshToken(store.destinationOf(profile.auth?.refreshToken, file.baseDir, flags.envFile, io.cwd), token);
              },
            },
          }
        : {}),
      env,
      baseDir: file.baseDir,
      timeoutMs,
      deadlineMs,
      ...(flags.resolver ? { resolver: flags.resolver } : {}),
      concurrency: flags.concurrency ?? 8,
      ...(flags.rcpt ? { rcpt: flags.rcpt } : {}),
      ...(flags.only?.length ? { only: flags.only } : {}),
      allowCleartextAuth: () => file.ruleSeverity('cleartext-auth') === 'off',
      ...https,
      onEvent: (e) => progress.event(label(file, e.profile), e),
    }).then((checks) => ({ ...file, checks })),
  );
  const listed = progress.start();
  let checked: LintedFile[];
  try {
    checked = await Promise.all(runs);
  } finally {
    await progress.stop(listed);
  }
  printReport(ctx, checked, flags, checkDescriptions());
}

interface Progress {
  event(profile: string, e: import('../../checks/run.ts').CheckEvent): void;
  start(): Promise<void> | undefined;
  stop(running: Promise<void> | undefined): Promise<void>;
}

/**
 * Live progress on stderr (stdout carries the report): a listr2 task list on a TTY; otherwise
 * (CI=true counts as not a TTY) one line per finished profile, so a CI log does not say every
 * result twice — the report is the one place results are read; `--verbose` adds a line per
 * check. Nothing with --quiet.
 */
function createProgress(ctx: CommandContext, flags: CheckFlags): Progress {
  const io = ctx.io;
  const ci = io.env.CI !== undefined && io.env.CI !== '' && io.env.CI !== 'false' && io.env.CI !== '0';
  if (flags.quiet) return { event: () => undefined, start: () => undefined, stop: async () => undefined };
  // listr2 decides on process.stdout being a TTY; a piped report gets plain lines instead
  if (!io.stderr.isTTY || !io.stdout.isTTY || ci) {
    const counts = new Map<string, Record<CheckResult['status'], number>>();
    return {
      event(profile, e) {
        if (e.type === 'result') {
          const r = e.result;
          const c = counts.get(profile) ?? { pass: 0, warn: 0, fail: 0, skip: 0 };
          c[r.status]++;
          counts.set(profile, c);
          if (flags.verbose) io.stderr.write(`${STATUS_WORD[r.status].padEnd(4)}  ${outsideText(profile)}  ${r.id}  ${outsideText(r.message)}\n`);
        } else if (e.type === 'done') {
          const c = counts.get(profile) ?? { pass: 0, warn: 0, fail: 0, skip: 0 };
          const parts = (['pass', 'warn', 'fail', 'skip'] as const).filter((k) => c[k] > 0).map((k) => `${c[k]} ${{ pass: 'passed', warn: 'warned', fail: 'failed', skip: 'skipped' }[k]}`);
          io.stderr.write(`checked ${outsideText(profile)}: ${parts.join(', ') || 'nothing to check'}\n`);
        }
      },
      start: () => undefined,
      stop: async () => undefined,
    };
  }
  return listrProgress(ctx, flags);
}

interface Deferred {
  promise: Promise<CheckResult>;
  resolve(r: CheckResult): void;
}

function deferred(): Deferred {
  let resolve!: (r: CheckResult) => void;
  const promise = new Promise<CheckResult>((r) => (resolve = r));
  return { promise, resolve };
}

function listrProgress(ctx: CommandContext, flags: CheckFlags): Progress {
  const plans: { profile: string; checks: { id: string; title: string }[] }[] = [];
  const results = new Map<string, Deferred>();
  const slot = (profile: string, id: string): Deferred => {
    const key = `${profile}\u0000${id}`;
    let d = results.get(key);
    if (!d) {
      d = deferred();
      results.set(key, d);
    }
    return d;
  };
  return {
    event(profile, e) {
      if (e.type === 'plan') plans.push({ profile, checks: e.checks });
      else if (e.type === 'result') slot(profile, e.result.id).resolve(e.result);
    },
    start() {
      return (async () => {
        const { Listr, ListrLogger, ProcessOutput } = await import('listr2');
        const stderr = ctx.io.stderr as unknown as NodeJS.WriteStream;
        const list = new Listr(
          plans.map((plan) => ({
            title: outsideText(plan.profile),
            task: (_ctx, task) =>
              task.newListr(
                plan.checks.map((c) => ({
                  title: c.id,
                  task: async (_c, sub) => {
                    const r = await slot(plan.profile, c.id).promise;
                    const message = outsideText(r.message);
                    sub.title = `${c.id}  ${r.status === 'warn' ? 'warning: ' : ''}${message}`;
                    if (r.status === 'fail') throw new Error(`${c.id}  ${message}`);
                    if (r.status === 'skip') sub.skip(`${c.id}  ${message}`);
                  },
                })),
                { concurrent: true, exitOnError: false },
              ),
          })),
          {
            concurrent: true,
            exitOnError: false,
            collectErrors: false,
            registerSignalListeners: false,
            rendererOptions: {
              logger: new ListrLogger({ useIcons: true, toStderr: [], processOutput: new ProcessOutput(stderr, stderr, { dump: [], leaveEmptyLine: false }) }),
              // the live list gives way to the report, which says the same and more
              clearOutput: true,
              collapseSubtasks: false,
              collapseErrors: false,
              collapseSkips: false,
              showErrorMessage: true,
              formatOutput: 'truncate',
            },
          },
        );
        await list.run().catch(() => undefined);
      })();
    },
    async stop(running) {
      await running?.catch(() => undefined);
    },
  };
}

export const checkCommand: CommandModule = {
  name: 'check',
  register(program, ctx) {
    const cmd = program
      .command('check')
      .summary('lint, then check each profile on the wire: DNS, TLS, login')
      .description(
        'Lint the file (errors stop here, with nothing sent), then run the online checks of every profile\n' +
          'concurrently: DNS (host, MX, SPF, DMARC, SRV), one SMTP session per profile (connect, greeting,\n' +
          'STARTTLS, TLS certificate, login) or the HTTP endpoint. No message is sent.',
      )
      .argument('[path]', 'the mail.yaml (default ./mail.yaml) or a folder')
      .option('-p, --profile <name>', 'check only this profile (repeatable)', collect, [])
      .option('--only <checks>', 'only these check ids or groups, comma-separated (dns, smtp, tls, oauth, auth, deliverability, dkim, mx…; an unknown name lists them all)', collect)
      .option('--rcpt <address>', 'also try MAIL FROM / RCPT TO with this recipient (then RSET; nothing is sent)')
      .option('--verbose', 'without a TTY (CI), a progress line per check, not only per profile')
      .option('--save-refresh-token', 'when the OAuth2 provider rotates the refresh token, write the new one where auth.refreshToken points (a { file: } secret, or the last --env-file)');
    addNetworkOptions(addOutputOptions(cmd))
      .addHelpText(
        'after',
        '\nExamples:\n  $ mailcheck check\n  $ mailcheck check deploy/mail.yaml --profile production --env-file .env\n  $ mailcheck check --only tls,auth --deadline 30s\n  $ mailcheck check --rcpt postmaster@example.org --format json',
      )
      .action(async (path: string | undefined, flags: CheckFlags) => {
        await runCheck(ctx, path, flags);
      });
  },
};
