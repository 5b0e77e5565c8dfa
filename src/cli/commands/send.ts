import { resolve } from 'node:path';
import { loadEnv } from '../../config/env.ts';
import { outsideText } from '../../safety/sanitize.ts';
import { MailcheckError } from '../../errors.ts';
import { RULE_IDS } from '../../rules/index.ts';
import type { SendLogEntry } from '../../send-log.ts';
import type { CommandContext, CommandModule } from '../context.ts';
import { addNetworkOptions, addOutputOptions, durationFlag, parseRuleFlags, recipientFlag, subjectFlag, type NetworkFlags, type OutputFlags } from '../options.ts';
import { lintGate } from '../output.ts';
import { pickProfiles } from './check.ts';

interface SendFlags extends OutputFlags, NetworkFlags {
  profile?: string;
  to?: string;
  subject?: string;
  log?: string;
}


async function runSend(ctx: CommandContext, path: string | undefined, flags: SendFlags): Promise<void> {
  const io = ctx.io;
  if (!flags.to) throw new MailcheckError('E_USAGE', 'send needs --to ADDRESS', 'e.g. mailcheck send --profile production --to you@example.org');
  recipientFlag('--to', flags.to);
  subjectFlag('--subject', flags.subject);
  const ruleOverrides = parseRuleFlags(flags.rule, RULE_IDS);
  const timeoutMs = durationFlag('--timeout', flags.timeout, 10_000);
  const deadlineMs = durationFlag('--deadline', flags.deadline, 60_000);
  const env = loadEnv(flags.envFile, io.env, io.cwd);

  const files = await lintGate(ctx, [path ?? 'mail.yaml'], flags, ruleOverrides, env);
  if (!files) return;
  if (files.length !== 1) throw new MailcheckError('E_USAGE', `send takes one mail.yaml, found ${files.length}`, 'name the file');
  const file = files[0]!;
  let profiles = pickProfiles(files, flags.profile ? [flags.profile] : []).get(file) ?? [];
  if (!flags.profile && profiles.length > 1) {
    throw new MailcheckError('E_USAGE', 'send needs --profile when the file has several profiles', `profiles: ${profiles.map((p) => p.name).join(', ')}`);
  }
  profiles = profiles.slice(0, 1);
  const profile = profiles[0];
  if (!profile) throw new MailcheckError('E_USAGE', 'the file has no profile to send with');

  const { sendTest, SendError } = await import('../../send.ts');
  // the log is opened (and refused) before anything is sent
  const sendLog = flags.log === undefined ? undefined : (await import('../../send-log.ts')).openSendLog(resolve(io.cwd, flags.log));
  const log = (entry: Omit<SendLogEntry, 'time' | 'profile' | 'to'>): void => sendLog?.append({ time: new Date().toISOString(), profile: profile.name, to: flags.to!, ...entry });
  try {
    const result = await sendTest(profile, {
      to: flags.to,
      ...(flags.subject !== undefined ? { subject: flags.subject } : {}),
      env,
      baseDir: file.baseDir,
      timeoutMs,
      deadlineMs,
      allowCleartextAuth: file.ruleSeverity('cleartext-auth') === 'off',
    });
    log({ ok: result.rejected.length === 0, reply: result.response, messageId: result.messageId });
    if (flags.json || flags.format === 'json') {
      io.stdout.write(`${JSON.stringify({ profile: profile.name, ...result }, null, 2)}\n`);
    } else {
      io.stdout.write(
        [
          `sent with profile ${profile.name} to ${outsideText(result.accepted.join(', ') || flags.to)}`,
          `  server replied: ${outsideText(result.response)}`,
          `  message id:     ${outsideText(result.messageId)}`,
          ...(result.rejected.length ? [`  rejected:       ${outsideText(result.rejected.join(', '))}`] : []),
          '',
        ].join('\n'),
      );
    }
    ctx.exit(result.rejected.length ? 1 : 0);
  } catch (err) {
    if (!(err instanceof SendError)) throw err;
    log({ ok: false, reply: err.response ?? err.message, code: err.reason, ...(err.smtpCode !== undefined ? { smtpCode: err.smtpCode } : {}) });
    // the server or the network refused: a problem of the mail setup (exit 1), not of the tool
    if (flags.json || flags.format === 'json') {
      io.stdout.write(
        `${JSON.stringify({ profile: profile.name, error: { code: err.reason, message: err.message, response: err.response ?? null, smtpCode: err.smtpCode ?? null, command: err.command ?? null } }, null, 2)}\n`,
      );
    }
    io.stderr.write(`mailcheck: ${outsideText(err.message)}\n`);
    if (err.hint) io.stderr.write(`  hint: ${err.hint}\n`);
    ctx.exit(1);
  } finally {
    sendLog?.close();
  }
}

export const sendCommand: CommandModule = {
  name: 'send',
  register(program, ctx) {
    const cmd = program
      .command('send')
      .summary('send a real test message with a profile')
      .description(
        'Send one real test message with a profile (the "send test email" button of every app) and print\n' +
          "the server's reply and the message id. The file is linted first; errors stop here.",
      )
      .argument('[path]', 'the mail.yaml (default ./mail.yaml)')
      .option('-p, --profile <name>', 'the profile to send with (needed when there are several)')
      .option('--to <address>', 'the recipient')
      .option('--subject <text>', 'the subject (default: "mailcheck test message (<profile>)")')
      .option('--log <file>', 'append one JSON line (time, profile, recipient, reply, message id; never a secret) to FILE, created 0600');
    addNetworkOptions(addOutputOptions(cmd))
      .addHelpText('after', '\nExamples:\n  $ mailcheck send --profile production --to you@example.org\n  $ mailcheck send deploy/mail.yaml -p staging --to qa@example.org --env-file .env.staging\n  $ mailcheck send -p production --to you@example.org --log mail-log.jsonl')
      .action(async (path: string | undefined, flags: SendFlags) => {
        await runSend(ctx, path, flags);
      });
  },
};
