import { loadEnv } from '../../config/env.ts';
import { MailcheckError } from '../../errors.ts';
import { RULE_IDS } from '../../rules/index.ts';
import type { DeployResult, PlannedFile } from '../../deploy.ts';
import type { CommandContext, CommandModule } from '../context.ts';
import { addNetworkOptions, addOutputOptions, durationFlag, formatOf, httpsLookupOptions, nowOf, parseResolverFlag, parseRuleFlags, recipientFlag, subjectFlag, type NetworkFlags, type OutputFlags } from '../options.ts';
import { printReport } from '../output.ts';
import { warningLine } from './render.ts';

interface DeployFlags extends OutputFlags, NetworkFlags {
  dryRun?: boolean;
  sendTest?: boolean;
  to?: string;
  subject?: string;
}

const MAX_DIFF_LINES = 40;

/** `path (target ← profile): created | updated (+a −r) | unchanged`, then the changed lines. */
export function planText(files: readonly PlannedFile[], dryRun: boolean): string {
  const out: string[] = [];
  for (const f of files) {
    const added = f.diff.filter((d) => d.op === '+').length;
    const removed = f.diff.length - added;
    const verb = f.change === 'unchanged' ? 'unchanged' : `${dryRun ? 'would be ' : ''}${f.change === 'create' ? 'created' : 'updated'} (+${added} −${removed})`;
    out.push(`${f.display}  (${f.target} ← ${f.profile}, mode ${f.mode.toString(8).padStart(4, '0')}): ${verb}`);
    if (f.change === 'unchanged') continue;
    for (const d of f.diff.slice(0, MAX_DIFF_LINES)) out.push(`  ${d.op} ${d.text}`);
    if (f.diff.length > MAX_DIFF_LINES) out.push(`  … ${f.diff.length - MAX_DIFF_LINES} more lines`);
  }
  return out.length ? `${out.join('\n')}\n` : '';
}

function jsonOf(r: DeployResult) {
  return {
    ok: r.ok,
    written: r.written,
    failedAt: r.failedAt ?? null,
    problems: r.problems,
    report: r.report,
    sends: r.sends,
    warnings: r.warnings,
    files: r.files.map((f) => ({
      path: f.display,
      target: f.target,
      profile: f.profile,
      secrets: f.secrets,
      mode: f.mode.toString(8).padStart(4, '0'),
      change: f.change,
      diff: f.diff,
    })),
  };
}

async function runDeploy(ctx: CommandContext, path: string | undefined, flags: DeployFlags): Promise<void> {
  const io = ctx.io;
  if (flags.sendTest && !flags.to) throw new MailcheckError('E_USAGE', '--send-test needs --to ADDRESS');
  if (flags.to) recipientFlag('--to', flags.to);
  subjectFlag('--subject', flags.subject);
  if (flags.to && !flags.sendTest) throw new MailcheckError('E_USAGE', '--to is only used with --send-test');
  const ruleOverrides = parseRuleFlags(flags.rule, RULE_IDS);
  const timeoutMs = durationFlag('--timeout', flags.timeout, 10_000);
  const deadlineMs = durationFlag('--deadline', flags.deadline, 60_000);
  if (flags.resolver) parseResolverFlag(flags.resolver);
  const env = loadEnv(flags.envFile, io.env, io.cwd);

  const { deploy } = await import('../../deploy.ts');
  const result = await deploy(path ?? 'mail.yaml', {
    env,
    cwd: io.cwd,
    dryRun: flags.dryRun ?? false,
    ...(flags.sendTest && flags.to ? { sendTest: { to: flags.to, ...(flags.subject !== undefined ? { subject: flags.subject } : {}) } } : {}),
    ruleOverrides,
    ...(nowOf(flags, io.env) ? { now: nowOf(flags, io.env)! } : {}),
    ...(flags.maxWarnings !== undefined ? { maxWarnings: flags.maxWarnings } : {}),
    timeoutMs,
    deadlineMs,
    ...(flags.resolver ? { resolver: flags.resolver } : {}),
    ...httpsLookupOptions(flags, ctx.io.cwd),
    concurrency: flags.concurrency ?? 8,
  });

  if (formatOf(flags) === 'json') {
    io.stdout.write(`${JSON.stringify(jsonOf(result), null, 2)}\n`);
  } else {
    // lint diagnostics and check results, as `mailcheck check` prints them
    printReport(ctx, [result.file], flags);
    for (const s of result.sends) io.stdout.write(`${s.ok ? 'sent' : 'FAILED'}  test message (${s.profile}): ${s.message}\n`);
    io.stdout.write(planText(result.files, flags.dryRun ?? false));
  }
  for (const w of result.warnings) io.stderr.write(warningLine(w));
  if (!result.ok) {
    for (const p of result.problems) io.stderr.write(`mailcheck: ${p}\n`);
    io.stderr.write(`mailcheck: deploy stopped at ${result.failedAt}: nothing was written\n`);
    ctx.exit(1);
    return;
  }
  const changed = result.files.filter((f) => f.change !== 'unchanged').length;
  io.stderr.write(
    flags.dryRun
      ? `mailcheck: dry run: ${changed} file(s) would change; nothing was written\n`
      : `mailcheck: deployed: ${changed} file(s) written, ${result.files.length - changed} unchanged\n`,
  );
  ctx.exit(0);
}

export const deployCommand: CommandModule = {
  name: 'deploy',
  register(program, ctx) {
    const cmd = program
      .command('deploy')
      .summary('check, then write every targets: entry atomically')
      .description(
        'For every entry of the file\'s targets: lint must pass, the online checks of the profiles used must\n' +
          'pass (and the test message with --send-test), and every output must render; only then is every\n' +
          '`out` written, atomically (temporary file + rename; 0600 with inline secrets). On any failure\n' +
          'nothing is written or changed. Prints what changed; --dry-run prints it and writes nothing.',
      )
      .argument('[path]', 'the mail.yaml (default ./mail.yaml)')
      .option('-n, --dry-run', 'show what would change, write nothing')
      .option('--send-test', 'also send a real test message with every profile used (needs --to)')
      .option('--to <address>', 'recipient of the --send-test message')
      .option('--subject <text>', 'subject of the --send-test message');
    addNetworkOptions(addOutputOptions(cmd))
      .addHelpText(
        'after',
        '\nExamples:\n  $ mailcheck deploy --dry-run\n  $ mailcheck deploy --env-file .env.production --send-test --to ops@example.org\n  $ mailcheck deploy deploy/mail.yaml --max-warnings 0 --json',
      )
      .action(async (path: string | undefined, flags: DeployFlags) => {
        await runDeploy(ctx, path, flags);
      });
  },
};
