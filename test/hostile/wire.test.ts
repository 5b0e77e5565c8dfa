/**
 * SPEC §7 "Nothing from outside reaches the wire unchecked" and "Every run ends", tried as an
 * attacker would: CRLF in flags and in environment values, a server that drips one byte every
 * 0.5 s, an http: token endpoint, durations that overflow Node's timers, an empty --only.
 * Peers are real servers on 127.0.0.1 (the sandbox's smtp-server counts delivered messages).
 */
import { spawn } from 'node:child_process';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runChecks } from '../../src/checks/run.ts';
import { MAX_DURATION_MS, parseDuration, readDuration } from '../../src/config/duration.ts';
import { interpolateProfile } from '../../src/config/interpolate.ts';
import { Secret } from '../../src/config/secret.ts';
import { exitCodeOf, buildReport } from '../../src/engine.ts';
import { isMailcheckError } from '../../src/errors.ts';
import { assertSafeCommand, WireError } from '../../src/net/smtp-wire.ts';
import { runSmtpSession } from '../../src/net/smtp-session.ts';
import { render } from '../../src/render.ts';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.ts';
import { sendTest } from '../../src/send.ts';
import type { Profile } from '../../src/types.ts';
import { byId, sandboxProfile, sandboxRun } from '../checks/helpers.ts';
import { runCli, type CliRun } from '../helpers/cli.ts';
import { lintText } from '../helpers/lint.ts';

const root = join(import.meta.dirname, '..', '..');
const USER = 'app@sandbox.mailcheck.test';
const PASSWORD = 'Wire-guard-pa55word';
/** What an attacker appends to a value to smuggle a message through the envelope. */
const SMUGGLED = 'victim@evil.example>\r\nDATA\r\nSubject: smuggled\r\n\r\nowned\r\n.\r\nQUIT';
const MARK = 'evil.example';

let sb: Sandbox;
let dir: string;
let drip: Server;
let dripPort: number;
const dripSockets = new Set<Socket>();
const outputs: string[] = [];

beforeAll(async () => {
  // authOptional: a smuggled MAIL/RCPT/DATA would really be delivered, as on an open relay
  sb = await startSandbox({ users: [{ username: USER, password: PASSWORD }], authOptional: true });
  dir = mkdtempSync(join(tmpdir(), 'mailcheck-hostile-wire-'));
  // a server that greets at once, then answers EHLO with "250-drip\r\n" one byte every 0.5 s,
  // forever: each byte resets an idle timer (nodemailer's socketTimeout). Bounded: it stops
  // after 10 minutes of dripping, or when the client hangs up.
  drip = createNetServer((socket) => {
    dripSockets.add(socket);
    socket.on('error', () => undefined);
    socket.once('close', () => dripSockets.delete(socket));
    socket.write('220 drip.example ESMTP\r\n');
    socket.once('data', () => {
      const line = '250-drip\r\n';
      let sent = 0;
      const timer = setInterval(() => {
        if (socket.destroyed || sent > 1200) {
          clearInterval(timer);
          socket.destroy();
          return;
        }
        socket.write(line[sent++ % line.length]!);
      }, 500);
      socket.once('close', () => clearInterval(timer));
    });
  });
  await new Promise<void>((r) => drip.listen(0, '127.0.0.1', r));
  dripPort = (drip.address() as { port: number }).port;
});

afterAll(async () => {
  for (const s of dripSockets) s.destroy();
  await new Promise((r) => drip.close(r));
  await sb.close();
  // no output of the whole suite ever carried the smuggled text or the password
  for (const o of outputs) {
    expect(o).not.toContain(MARK);
    expect(o).not.toContain(PASSWORD);
  }
});

async function cli(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  const r = await runCli(args, { cwd: dir, env: { ...sb.env(), ...env } });
  outputs.push(r.stdout, r.stderr);
  return r;
}

function yaml(name: string, lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, ['version: 1', 'profiles:', ...lines, 'rules:', '  cleartext-auth: off', ''].join('\n'));
  return path;
}

/** A sandbox profile (plain listener, no encryption) with extra lines. */
function plainProfile(extra: string[] = [], from = `"${USER}"`): string[] {
  return [
    '  p:',
    `    host: ${sb.smtp.plain.host}`,
    `    port: ${sb.smtp.plain.port}`,
    '    encryption: none',
    `    from: { address: ${from} }`,
    ...extra.map((l) => `    ${l}`),
  ];
}

const resolver = (): string[] => ['--resolver', `${sb.dns.host}:${sb.dns.port}`];

/** Runs the built CLI as a process; resolves when it exits (the test's timeout bounds the wait). */
function spawnCli(args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, 'bin', 'mailcheck.cjs'), ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('the SMTP writer', () => {
  test('assertSafeCommand refuses CR, LF and NUL, naming the command and never the value', () => {
    for (const bad of ['RCPT TO:<a@x>\r\nDATA', 'MAIL FROM:<a@x>\n', 'EHLO x\0y', '\r']) {
      let caught: unknown;
      try {
        assertSafeCommand(bad, 'RCPT');
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(WireError);
      expect((caught as WireError).kind).toBe('unsafe-command');
      expect((caught as WireError).message).not.toContain('a@x');
    }
    expect(() => assertSafeCommand('RCPT TO:<a@x.example>', 'RCPT')).not.toThrow();
  });

  test('a session given a CRLF in MAIL FROM or EHLO stops there: the server sees neither, no message', async () => {
    const before = { messages: sb.messages.length, sessions: sb.sessions.length };
    const envelope = await runSmtpSession({
      host: sb.smtp.plain.host,
      port: sb.smtp.plain.port,
      encryption: 'none',
      envelope: { from: `a@x.example>\r\nRCPT TO:<${SMUGGLED}`, to: `ok@${sb.domain}` },
      timeouts: { connect: 5000, greeting: 5000, command: 5000 },
    });
    expect(envelope.stoppedAt).toBe('envelope');
    expect(envelope.envelope?.failure?.kind).toBe('unsafe-command');
    expect(envelope.log.join('\n')).not.toContain(MARK);
    const ehlo = await runSmtpSession({
      host: sb.smtp.plain.host,
      port: sb.smtp.plain.port,
      encryption: 'none',
      ehloName: `x.example\r\nMAIL FROM:<${SMUGGLED}`,
      timeouts: { connect: 5000, greeting: 5000, command: 5000 },
    });
    expect(ehlo.stoppedAt).toBe('ehlo');
    expect(ehlo.ehlo?.failure?.kind).toBe('unsafe-command');
    // wait for the sandbox to record both sessions, then look at what it received
    for (let i = 0; i < 100 && sb.sessions.length < before.sessions + 2; i++) await new Promise((r) => setTimeout(r, 20));
    const commands = sb.sessions.slice(before.sessions).flatMap((s) => s.commands);
    expect(commands.filter((c) => /^(MAIL|RCPT|DATA|EHLO)/i.test(c)).map((c) => c.split(' ')[0]!.toUpperCase())).not.toContain('DATA');
    expect(commands.some((c) => /^(MAIL|RCPT|DATA)/i.test(c))).toBe(false);
    expect(sb.messages.length).toBe(before.messages);
  });
});

describe('flags are validated as addresses and headers', () => {
  test("check --rcpt $'a@x>\\r\\nDATA…' is a usage error (exit 2): no session, no message", async () => {
    const path = yaml('rcpt.yaml', plainProfile());
    const before = { messages: sb.messages.length, sessions: sb.sessions.length };
    const r = await cli(['check', path, ...resolver(), '--rcpt', `a@x.example>\r\nDATA\r\n${SMUGGLED}`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--rcpt/);
    expect(r.stderr).not.toContain('DATA');
    expect(sb.sessions.length).toBe(before.sessions);
    expect(sb.messages.length).toBe(before.messages);
  });

  test('send --to / --subject and deploy --to / --subject with a line break: exit 2, nothing sent', async () => {
    const path = yaml('send.yaml', plainProfile());
    const before = sb.messages.length;
    expect((await cli(['send', path, '--to', `a@x.example\r\nBcc: ${SMUGGLED}`])).code).toBe(2);
    expect((await cli(['send', path, '--to', `ok@${sb.domain}`, '--subject', `hi\r\nBcc: ${MARK}`])).code).toBe(2);
    expect((await cli(['send', path, '--to', `ok@${sb.domain}`, '--subject', 'nul\0byte'])).code).toBe(2);
    expect((await cli(['deploy', path, '--send-test', '--to', `a@x.example\nBcc: ${SMUGGLED}`])).code).toBe(2);
    expect((await cli(['deploy', path, '--send-test', '--to', `ok@${sb.domain}`, '--subject', `a\nBcc: ${MARK}`])).code).toBe(2);
    expect(sb.messages.length).toBe(before);
  });

  test('the API refuses the same: a CRLF recipient, subject or profile value throws before connecting', async () => {
    const profile = sandboxProfile(sb, sb.smtp.plain, 'none', { auth: { method: 'none' } });
    const before = sb.sessions.length;
    for (const opts of [{ to: `a@x.example\r\nDATA` }, { to: `ok@${sb.domain}`, subject: 'a\r\nBcc: x@y.example' }]) {
      const err = await sendTest(profile, { ...opts, env: {}, baseDir: dir, timeoutMs: 2000, allowCleartextAuth: true }).catch((e: unknown) => e);
      expect(isMailcheckError(err) && err.code).toBe('E_USAGE');
    }
    // a literal line break in the profile (an API caller that skipped lint) is refused too
    const literal = { ...profile, from: { address: USER, name: `Acme\r\nBcc: x@${MARK}` } };
    const err = await sendTest(literal, { to: `ok@${sb.domain}`, env: {}, baseDir: dir, timeoutMs: 2000, allowCleartextAuth: true }).catch((e: unknown) => e);
    expect(isMailcheckError(err) && err.code).toBe('E_UNSAFE_VALUE');
    expect((err as Error).message).toContain('from.name');
    const rcpt = await runChecks([profile], sandboxRun(sb, { rcpt: `a@x.example>\r\nDATA` })).catch((e: unknown) => e);
    expect(isMailcheckError(rcpt) && rcpt.code).toBe('E_USAGE');
    expect(sb.sessions.length).toBe(before);
  });
});

describe('values from the environment are checked after ${VAR} interpolation', () => {
  const hostile = { MAIL_FROM: `app@sandbox.mailcheck.test>\r\nRCPT TO:<${SMUGGLED}`, EHLO: `x.example\r\nMAIL FROM:<${SMUGGLED}` };

  test('check: a diagnostic naming the field and the variable, never the value; nothing sent', async () => {
    const path = yaml('env.yaml', plainProfile(['ehlo: "${EHLO}"'], '"${MAIL_FROM}"'));
    const before = { messages: sb.messages.length, sessions: sb.sessions.length };
    const r = await cli(['check', path, ...resolver(), '--only', 'smtp', '--format', 'json'], hostile);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { files: { diagnostics: { ruleId: string; message: string; pointer: string }[]; checks: unknown[] }[] };
    const d = report.files[0]!.diagnostics.filter((x) => x.ruleId === 'header-injection');
    expect(d.map((x) => x.pointer).sort()).toEqual(['/profiles/p/ehlo', '/profiles/p/from/address']);
    expect(d.find((x) => x.pointer.endsWith('/ehlo'))!.message).toContain('${EHLO}');
    expect(d.find((x) => x.pointer.endsWith('/address'))!.message).toContain('${MAIL_FROM}');
    expect(report.files[0]!.checks).toEqual([]);
    expect(r.stdout + r.stderr).not.toContain(MARK);
    expect(sb.sessions.length).toBe(before.sessions);
    expect(sb.messages.length).toBe(before.messages);
    // the stylish report says the same, and lint without the environment stays silent about it
    const stylish = await cli(['check', path, ...resolver(), '--only', 'smtp'], hostile);
    expect(stylish.code).toBe(1);
    expect(stylish.stdout).toContain('${MAIL_FROM}');
    expect((await cli(['lint', path], hostile)).code).toBe(0);
  });

  test('an address from the environment that is no longer a mailbox: invalid-address names the variable', async () => {
    const path = yaml('env-addr.yaml', plainProfile([], '"${MAIL_FROM}"'));
    const r = await cli(['check', path, ...resolver(), '--only', 'smtp', '--format', 'json'], { MAIL_FROM: `Evil <boss@${MARK}>` });
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { files: { diagnostics: { ruleId: string; message: string }[] }[] };
    const d = report.files[0]!.diagnostics.find((x) => x.ruleId === 'invalid-address');
    expect(d?.message).toContain('${MAIL_FROM}');
  });

  test('send: the same diagnostic, exit 1, no message', async () => {
    const path = yaml('env-send.yaml', plainProfile(['ehlo: "${EHLO}"'], '"${MAIL_FROM}"'));
    const before = sb.messages.length;
    const r = await cli(['send', path, '--to', `ok@${sb.domain}`], hostile);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('${EHLO}');
    expect(sb.messages.length).toBe(before);
  });

  test('the API (no lint in front): runChecks refuses the profile, sendTest throws E_UNSAFE_VALUE; nothing reaches the server', async () => {
    const profile = sandboxProfile(sb, sb.smtp.plain, 'none', { auth: { method: 'none' }, ehlo: '${EHLO}', from: { address: '${MAIL_FROM}' } });
    const before = { messages: sb.messages.length, sessions: sb.sessions.length };
    const results = await runChecks([profile], sandboxRun(sb, { env: hostile, only: ['smtp'], rcpt: `ok@${sb.domain}` }));
    expect(results.length).toBeGreaterThan(0);
    for (const r of results) {
      expect(r).toMatchObject({ status: 'fail', details: { reason: 'unsafeValue' } });
      expect(r.message).toContain('${EHLO}');
      expect(r.message).not.toContain(MARK);
    }
    const err = await sendTest(profile, { to: `ok@${sb.domain}`, env: hostile, baseDir: dir, timeoutMs: 2000, allowCleartextAuth: true }).catch((e: unknown) => e);
    expect(isMailcheckError(err) && err.code).toBe('E_UNSAFE_VALUE');
    expect((err as Error).message).toMatch(/from\.address \(from \$\{MAIL_FROM\}\)/);
    expect((err as Error).message).not.toContain(MARK);
    expect(sb.sessions.length).toBe(before.sessions);
    expect(sb.messages.length).toBe(before.messages);
  });

  test('every wire field is covered: username, bcc, replyTo, host, name, servername', () => {
    const base = sandboxProfile(sb, sb.smtp.plain, 'none');
    const cases: [Partial<Profile>, string][] = [
      [{ auth: { method: 'plain', username: '${U}', password: new Secret({ kind: 'env', name: 'P' }) } }, 'auth.username'],
      [{ bcc: ['${U}'] }, 'bcc[0]'],
      [{ replyTo: '${U}' }, 'replyTo'],
      [{ host: '${U}' }, 'host'],
      [{ from: { address: USER, name: '${U}' } }, 'from.name'],
      [{ tls: { servername: '${U}' } }, 'tls.servername'],
    ];
    for (const [over, field] of cases) {
      let caught: unknown;
      try {
        interpolateProfile({ ...base, ...over }, { U: 'x@y.example\nBcc: z@evil.example', P: 'p' });
      } catch (err) {
        caught = err;
      }
      expect(isMailcheckError(caught) && caught.code, field).toBe('E_UNSAFE_VALUE');
      expect((caught as Error).message, field).toContain(`${field} (from \${U})`);
      expect((caught as Error).message).not.toContain('evil');
    }
  });

  test('postfix: a newline in the username from the environment never adds sasl_passwd lines', async () => {
    const path = yaml('postfix.yaml', [
      '  p:',
      '    host: smtp.acme.example',
      '    port: 587',
      '    encryption: starttls',
      '    auth: { method: login, username: "${SMTP_USER}", password: "${SMTP_PASSWORD}" }',
      '    from: { address: app@acme.example }',
    ]);
    const env = { SMTP_USER: `user\n[evil.example]:25 attacker:${MARK}`, SMTP_PASSWORD: PASSWORD };
    const r = await cli(['render', path, '--target', 'postfix', '--secrets', 'inline'], env);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    // and the renderer itself refuses a profile that holds one (an API caller skipping interpolation)
    const profile: Profile = {
      name: 'p',
      transport: 'smtp',
      host: 'smtp.acme.example',
      port: 587,
      encryption: 'starttls',
      auth: { method: 'login', username: 'user\nother', password: new Secret({ kind: 'env', name: 'SMTP_PASSWORD' }) },
      from: { address: 'app@acme.example' },
      bcc: [],
    };
    let caught: unknown;
    try {
      render(profile, 'postfix', { secrets: 'inline', reveal: () => 'pw' });
    } catch (err) {
      caught = err;
    }
    expect(isMailcheckError(caught) && caught.code).toBe('E_RENDER_VALUE');
  });
});

describe('tokenUrl must be https:', () => {
  test('lint: an http: tokenUrl is a schema error at auth.tokenUrl; https: and ${VAR} pass', () => {
    const doc = (url: string): string =>
      [
        'version: 1',
        'profiles:',
        '  p:',
        '    host: smtp.gmail.com',
        '    port: 465',
        '    encryption: ssl',
        '    from: { address: app@acme.example }',
        `    auth: { method: xoauth2, user: app@acme.example, clientId: cid, clientSecret: "\${CS}", refreshToken: "\${RT}", tokenUrl: "${url}" }`,
        '',
      ].join('\n');
    const bad = lintText(doc('http://127.0.0.1:8080/token')).filter((d) => d.ruleId === 'schema');
    expect(bad.map((d) => [d.pointer, d.severity])).toEqual([['/profiles/p/auth/tokenUrl', 'error']]);
    expect(bad[0]!.message).toContain('https://');
    for (const ok of ['https://oauth2.googleapis.com/token', '${TOKEN_URL}']) {
      expect(lintText(doc(ok)).filter((d) => d.pointer.endsWith('tokenUrl'))).toEqual([]);
    }
  });

  describe('at run time, before any request', () => {
    let server: HttpServer;
    let url: string;
    const seen: string[] = [];
    beforeAll(async () => {
      server = createHttpServer((req, res) => {
        seen.push(`${req.method} ${req.url}`);
        res.writeHead(400).end();
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      url = `http://127.0.0.1:${(server.address() as { port: number }).port}/token`;
    });
    afterAll(async () => {
      await new Promise((r) => server.close(r));
      expect(seen).toEqual([]);
    });
    const oauth = (tokenUrl: string): Profile =>
      sandboxProfile(sb, sb.smtp.ssl, 'ssl', {
        auth: {
          method: 'xoauth2',
          user: USER,
          clientId: 'cid',
          clientSecret: new Secret({ kind: 'env', name: 'CS' }),
          refreshToken: new Secret({ kind: 'env', name: 'RT' }),
          tokenUrl,
        },
      });
    const env = { CS: 'client-secret-value', RT: 'refresh-token-value' };

    test('send refuses an http: tokenUrl (E_UNSAFE_VALUE), also one from ${TOKEN_URL}', async () => {
      for (const [tokenUrl, extra] of [[url, {}], ['${TOKEN_URL}', { TOKEN_URL: url }]] as const) {
        const err = await sendTest(oauth(tokenUrl), { to: `ok@${sb.domain}`, env: { ...env, ...extra }, baseDir: dir, timeoutMs: 2000 }).catch((e: unknown) => e);
        expect(isMailcheckError(err) && err.code).toBe('E_UNSAFE_VALUE');
        expect((err as Error).message).toContain('auth.tokenUrl');
      }
      expect(seen).toEqual([]);
    });

    test('check: a ${TOKEN_URL} that resolves to http: fails every check of the profile (unsafeValue)', async () => {
      const results = await runChecks([oauth('${TOKEN_URL}')], sandboxRun(sb, { env: { ...env, TOKEN_URL: url }, only: ['auth'] }));
      expect(byId(results)['smtp.auth']).toMatchObject({ status: 'fail', details: { reason: 'unsafeValue' } });
      expect(byId(results)['smtp.auth']!.message).toContain('auth.tokenUrl (from ${TOKEN_URL})');
      expect(seen).toEqual([]);
    });
  });
});

describe('durations are 1 ms … 24 h', () => {
  test('parsing: 0ms and 25d are out of range, 24h and 1ms are fine', () => {
    expect(readDuration('0ms')).toEqual({ ok: false, reason: 'range' });
    expect(readDuration('25d')).toEqual({ ok: false, reason: 'range' });
    expect(readDuration('24h')).toEqual({ ok: true, ms: MAX_DURATION_MS });
    expect(readDuration('1d')).toEqual({ ok: true, ms: MAX_DURATION_MS });
    expect(readDuration('1ms')).toEqual({ ok: true, ms: 1 });
    expect(readDuration('soon')).toEqual({ ok: false, reason: 'malformed' });
    expect(parseDuration(MAX_DURATION_MS + 1)).toBeUndefined();
    expect(parseDuration(2 ** 31)).toBeUndefined();
  });

  test('flags: --deadline 25d, --timeout 0ms are usage errors on every command; 24h is accepted', async () => {
    const path = yaml('dur.yaml', plainProfile());
    for (const args of [
      ['check', path, '--deadline', '25d'],
      ['check', path, '--timeout', '0ms'],
      ['send', path, '--to', `ok@${sb.domain}`, '--deadline', '25d'],
      ['deploy', path, '--deadline', '30d'],
      ['init', '--domain', 'acme.example', '--deadline', '25d'],
    ]) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(/between 1ms and 24h/);
    }
    // a bare number is not taken as milliseconds on the command line: the unit is asked for
    for (const args of [
      ['check', path, '--timeout', '20'],
      ['oauth', 'login', path, '--deadline', '90'],
    ]) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(/give the unit/);
      expect(r.stderr, args.join(' ')).toMatch(/s for seconds/);
    }
    // 24h passes the flag check (the run itself is quick: lint fails on nothing, --only http plans nothing here)
    const ok = await cli(['check', path, ...resolver(), '--deadline', '24h', '--only', 'connect', '--format', 'json']);
    expect(ok.code).toBe(0);
  });

  test('schema: timeouts of 0ms, 25d or 86400001 are errors; 24h and 86400000 are fine', () => {
    const doc = (v: string): string =>
      ['version: 1', 'profiles:', '  p:', '    host: smtp.acme.example', '    port: 587', '    encryption: starttls', '    from: { address: app@acme.example }', `    timeouts: { connect: ${v} }`, ''].join('\n');
    for (const bad of ['0ms', '25d', '86400001', '1441m']) {
      const d = lintText(doc(bad)).filter((x) => x.ruleId === 'schema');
      expect(d.map((x) => x.pointer), bad).toEqual(['/profiles/p/timeouts/connect']);
    }
    for (const good of ['24h', '86400000', '1ms', '10s']) expect(lintText(doc(good)).filter((x) => x.ruleId === 'schema'), good).toEqual([]);
  });
});

describe('durations given through the API', () => {
  test('runChecks with 2^40 ms timeouts and deadline: no TimeoutOverflowWarning, the checks run', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error): void => {
      warnings.push(w.name);
    };
    process.on('warning', onWarning);
    try {
      const profile = sandboxProfile(sb, sb.smtp.plain, 'none', { auth: { method: 'none' } });
      const results = await runChecks([profile], sandboxRun(sb, { timeoutMs: 2 ** 40, deadlineMs: 2 ** 40, only: ['connect'] }));
      expect(byId(results)['smtp.connect']?.status).toBe('pass');
      await new Promise((r) => setImmediate(r));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).not.toContain('TimeoutOverflowWarning');
  });
});

describe('--only names something', () => {
  test('--only ",,," and --only "" are usage errors (exit 2), not "run nothing, exit 0"', async () => {
    const path = yaml('only.yaml', plainProfile());
    for (const only of [',,,', '', ' , ']) {
      const r = await cli(['check', path, ...resolver(), '--only', only]);
      expect(r.code, JSON.stringify(only)).toBe(2);
      expect(r.stderr).toContain('--only');
    }
  });
});

describe('every run ends by its deadline', () => {
  const dripYaml = (): string => {
    const d = mkdtempSync(join(tmpdir(), 'mailcheck-drip-'));
    writeFileSync(
      join(d, 'mail.yaml'),
      ['version: 1', 'profiles:', '  drip:', '    host: 127.0.0.1', `    port: ${dripPort}`, '    encryption: none', '    from: { address: app@acme.example }', ''].join('\n'),
    );
    return d;
  };

  test('check --deadline 2s against a dripping server: the process exits; checks are skip, reason deadline', { timeout: 60_000 }, async () => {
    const cwd = dripYaml();
    const r = await spawnCli(['check', '--only', 'greeting', '--timeout', '1h', '--deadline', '2s', '--format', 'json'], cwd);
    outputs.push(r.stdout, r.stderr);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { files: { checks: { id: string; status: string; message: string; details: { reason: string } }[] }[] };
    const greeting = report.files[0]!.checks.find((c) => c.id === 'smtp.greeting');
    expect(greeting).toMatchObject({ status: 'skip', details: { reason: 'deadline' } });
    expect(greeting!.message).toContain('deadline');
  });

  test('send --deadline 2s against a dripping server: the process exits; the error says deadline', { timeout: 60_000 }, async () => {
    const cwd = dripYaml();
    // --timeout 1s is an idle timeout for nodemailer: the drip alone would keep the send alive
    const r = await spawnCli(['send', '--to', 'ok@acme.example', '--timeout', '1s', '--deadline', '2s', '--json'], cwd);
    outputs.push(r.stdout, r.stderr);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { error: { code: string; message: string } };
    expect(out.error.code).toBe('EDEADLINE');
    expect(out.error.message).toContain('deadline');
  });

  test('deadline-skipped checks make the run exit 1 (it did not establish what was asked)', () => {
    const report = buildReport([
      { path: 'mail.yaml', diagnostics: [], checks: [{ id: 'smtp.greeting', profile: 'p', status: 'skip', messageId: 'deadline', message: 'm', durationMs: 0, details: { reason: 'deadline' } }] },
    ]);
    expect(exitCodeOf(report)).toBe(1);
    const prereq = buildReport([
      { path: 'mail.yaml', diagnostics: [], checks: [{ id: 'smtp.auth', profile: 'p', status: 'skip', messageId: 'prerequisite', message: 'm', durationMs: 0, details: { reason: 'prerequisite' } }] },
    ]);
    expect(exitCodeOf(prereq)).toBe(0);
  });
});
