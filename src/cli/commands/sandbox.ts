import { existsSync } from 'node:fs';
import { assertWritable, readBoundedText } from '../../safety/fs.ts';
import { outsideText } from '../../safety/sanitize.ts';
import { resolve } from 'node:path';
import { MailcheckError } from '../../errors.ts';
import type { SandboxEventKind } from '../../sandbox/types.ts';
import type { CommandModule } from '../context.ts';
import type { CliIO } from '../io.ts';

export interface SandboxFlags {
  port?: number;
  host?: string;
  domain?: string;
  write?: string;
  verbose?: boolean;
  /** also run the OAuth2 authorization server (sandbox-oauth.ts) */
  oauth?: boolean;
}

/** the first line of every mail.yaml the sandbox writes: only such a file is overwritten */
const MARK = '# mail.yaml for the mailcheck sandbox';
const DEFAULT_KINDS: ReadonlySet<SandboxEventKind> = new Set(['auth', 'message', 'fault', 'error']);

function basePort(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isInteger(n) || n < 1 || n > 65530) {
    throw new MailcheckError('E_USAGE', `--port takes a base port 1-65530 (ssl N, starttls N+1, plain N+2, dns N+3, MTA-STS N+4, OAuth2 N+5), got "${value}"`);
  }
  return n;
}

function clock(): string {
  return new Date().toTimeString().slice(0, 8);
}

function shellQuote(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Waits for SIGINT or SIGTERM, then removes its handlers. */
function untilSignal(): Promise<void> {
  return new Promise((done) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/**
 * `mailcheck sandbox`: starts the sandbox, prints where everything is, the throwaway password
 * (once, labelled) and the mail.yaml, then every received message until `until` settles.
 * Testable without signals: pass your own `until`.
 */
export async function runSandbox(flags: SandboxFlags, io: CliIO, until: () => Promise<void> = untilSignal): Promise<number> {
  const out = (s: string): void => {
    io.stdout.write(s);
  };
  let writeTo: string | undefined;
  if (flags.write !== undefined) {
    writeTo = resolve(io.cwd, flags.write);
    // SPEC §7: a regular file or a new one only (never a FIFO, a device, a link), read bounded
    assertWritable({ shown: flags.write, path: writeTo });
    if (existsSync(writeTo) && !readBoundedText(writeTo, { label: '--write', noFollow: true }).startsWith(MARK)) {
      throw new MailcheckError('E_EXISTS', `${flags.write} exists and was not written by the sandbox; not overwriting it`, 'give --write another path');
    }
  }
  const { startSandbox } = await import('../../sandbox/index.ts');
  const base = flags.port;
  let oauth: import('../../sandbox/oauth-server.ts').SandboxOAuthServer | undefined;
  const sandbox = await startSandbox({
    ...(flags.oauth ? { verifyBearer: async (token: string, username: string) => (oauth ? oauth.verifyBearer(token, username) : false) } : {}),
    ...(flags.host !== undefined ? { host: flags.host } : {}),
    ...(flags.domain !== undefined ? { domain: flags.domain } : {}),
    ...(base !== undefined ? { ports: { ssl: base, starttls: base + 1, plain: base + 2, dns: base + 3, mtaSts: base + 4 } } : {}),
    log: (line, kind) => {
      if (flags.verbose || DEFAULT_KINDS.has(kind)) out(`${clock()} ${line}\n`);
    },
  });
  try {
    if (flags.oauth) {
      const { startOAuthServer } = await import('../../sandbox/oauth-server.ts');
      oauth = await startOAuthServer({
        host: sandbox.host,
        tls: sandbox.serverTls,
        caPem: sandbox.caPem,
        approveAs: sandbox.users[0]!.username,
        autoApprove: true,
        ...(base !== undefined ? { port: base + 5 } : {}),
        onApprovalError: (reason) => out(`${clock()} OAuth2: the device code could not be approved automatically (${outsideText(reason)}); open the printed URL in a browser\n`),
      });
    }
    const ox = flags.oauth ? await import('./sandbox-oauth.ts') : undefined;
    const at = (ep: { host: string; port: number }): string => (ep.host.includes(':') ? `[${ep.host}]:${ep.port}` : `${ep.host}:${ep.port}`);
    const [envName, password] = Object.entries(sandbox.env())[0] ?? ['SANDBOX_PASSWORD', ''];
    const yaml = oauth && ox ? ox.withOAuthProfile(sandbox.mailYaml(), sandbox, oauth) : sandbox.mailYaml();
    if (writeTo) await (await import('../../deploy/atomic.ts')).writeAllAtomic([{ path: writeTo, content: yaml, mode: 0o644 }]);
    const users = sandbox.users.map((u) => u.username).join(', ');
    // the sandbox's MTA-STS policy is served on a random port, not 443: `check` is told where
    const checkFlags = `--resolver ${at(sandbox.dns)} --mta-sts-port ${sandbox.mtaSts.endpoint.port}`;
    out(
      [
        `mailcheck sandbox: ${sandbox.domain} on ${sandbox.host} (loopback only)`,
        '',
        `  SMTP ssl        ${at(sandbox.smtp.ssl).padEnd(22)} implicit TLS`,
        `  SMTP starttls   ${at(sandbox.smtp.starttls).padEnd(22)} STARTTLS, then AUTH`,
        `  SMTP plain      ${at(sandbox.smtp.plain).padEnd(22)} no TLS, AUTH in clear`,
        `  DNS             ${at(sandbox.dns).padEnd(22)} UDP and TCP, zone ${sandbox.domain}`,
        `  MTA-STS policy  ${at(sandbox.mtaSts.endpoint).padEnd(22)} HTTPS, for mta-sts.${sandbox.domain} (real ones are on 443)`,
        `  CA certificate  ${sandbox.caPath}`,
        `  user            ${users} (AUTH PLAIN, LOGIN, CRAM-MD5; XOAUTH2 ${oauth ? 'with an access token of the OAuth2 server below' : 'with the password as token'})`,
        ...(oauth && ox ? ox.oauthLines(sandbox, oauth, writeTo ? shellQuote(flags.write ?? '') : 'FILE', checkFlags) : []),
        '',
        "The sandbox's own throwaway password (new at every start):",
        `  export ${envName}=${shellQuote(password)}`,
        '',
        ...(writeTo
          ? [`mail.yaml written to ${flags.write}`]
          : ['mail.yaml (or run with --write FILE):', '', ...yaml.trimEnd().split('\n').map((l) => `  ${l}`)]),
        '',
        `Try: mailcheck check ${writeTo ? shellQuote(flags.write ?? '') : 'FILE'} ${checkFlags}`,
        `Waiting for mail${flags.verbose ? '' : ' (--verbose shows connections and DNS queries)'}; Ctrl-C stops.`,
        '',
      ].join('\n'),
    );
    await until();
    out(`${clock()} stopping: ${sandbox.messages.length} message${sandbox.messages.length === 1 ? '' : 's'} received\n`);
  } finally {
    await oauth?.close();
    await sandbox.close();
  }
  return 0;
}

export const sandboxCommand: CommandModule = {
  name: 'sandbox',
  register(program, ctx) {
    program
      .command('sandbox')
      .summary('a local SMTP + DNS sandbox to try mailcheck on')
      .description(
        'Start a local mail sandbox on loopback: SMTP with implicit TLS, STARTTLS and plain listeners,\n' +
          'AUTH, a CA generated at start, a DNS responder for its domain (MX, SPF, DMARC, SRV), and\n' +
          'every received message printed. Prints a ready mail.yaml and the password to export.',
      )
      .option('-p, --port <n>', 'base port: ssl N, starttls N+1, plain N+2, dns N+3, MTA-STS policy N+4, OAuth2 server N+5 (default: random free ports)', basePort)
      .option('--host <address>', 'loopback address to listen on: 127.0.0.1 or ::1', '127.0.0.1')
      .option('--domain <name>', "the sandbox's mail domain", 'sandbox.mailcheck.test')
      .option('-w, --write <file>', 'write the mail.yaml to FILE instead of printing it')
      .option('--verbose', 'also print connections and DNS queries')
      .option('--oauth', 'also run an OAuth2 authorization server (HTTPS, sandbox CA) whose access tokens XOAUTH2 accepts')
      .addHelpText(
        'after',
        '\nExamples:\n  $ mailcheck sandbox\n  $ mailcheck sandbox --port 2525 --write sandbox.mail.yaml\n' +
          '  $ export SANDBOX_PASSWORD=…   # as printed\n  $ mailcheck check sandbox.mail.yaml --resolver 127.0.0.1:2528',
      )
      .action(async (flags: SandboxFlags) => {
        ctx.exit(await runSandbox(flags, ctx.io));
      });
  },
};
