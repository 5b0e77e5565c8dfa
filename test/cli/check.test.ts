import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSandbox, type Endpoint, type Sandbox } from '../../src/sandbox/index.ts';
import { runCli, type CliRun } from '../helpers/cli.ts';

const USER = 'app@sandbox.mailcheck.test';
const PASSWORD = 'Kn0wn-pa55word-for-redaction';
const FORBIDDEN = [
  PASSWORD,
  Buffer.from(PASSWORD).toString('base64'),
  Buffer.from(`\0${USER}\0${PASSWORD}`).toString('base64'),
  Buffer.from(`${USER}\0${PASSWORD}`).toString('base64'),
];

let sb: Sandbox;
let dir: string;
const everything: string[] = [];

beforeAll(async () => {
  sb = await startSandbox({ users: [{ username: USER, password: PASSWORD }] });
  dir = mkdtempSync(join(tmpdir(), 'mailcheck-cli-check-'));
  writeFileSync(join(dir, 'mail.yaml'), sb.mailYaml());
});
afterAll(async () => {
  await sb.close();
});

async function cli(args: string[], env: Record<string, string> = sb.env(), cwd = dir): Promise<CliRun> {
  const r = await runCli(args, { env, cwd });
  everything.push(r.stdout, r.stderr);
  return r;
}

// the sandbox's DNS, and its MTA-STS policy server (random port, the sandbox CA)
const resolver = (): string[] => ['--resolver', `${sb.dns.host}:${sb.dns.port}`, '--ca-file', sb.caPath, '--mta-sts-port', String(sb.mtaSts.endpoint.port)];

/** a mail.yaml with one profile per endpoint */
function writeYaml(name: string, profiles: { name: string; endpoint: Endpoint; encryption: string; extra?: string[] }[]): string {
  const lines = ['version: 1', 'profiles:'];
  for (const p of profiles) {
    lines.push(
      `  ${p.name}:`,
      `    host: ${p.endpoint.host}`,
      `    port: ${p.endpoint.port}`,
      `    encryption: ${p.encryption}`,
      '    auth: { method: plain, username: "' + USER + '", password: "${SANDBOX_PASSWORD}" }',
      `    from: { address: "${USER}", name: Acme App }`,
      `    tls: { ca: "${sb.caPath}" }`,
      ...(p.extra ?? []).map((l) => `    ${l}`),
    );
  }
  lines.push('rules:', '  cleartext-auth: off', '');
  const path = join(dir, name);
  writeFileSync(path, lines.join('\n'));
  return path;
}

describe('mailcheck check', () => {
  test('checks every profile of the sandbox: exit 0, stylish report, plain progress on stderr', async () => {
    const r = await cli(['check', ...resolver()]);
    expect(r.code).toBe(0);
    for (const id of ['dns.host', 'smtp.connect', 'tls.handshake', 'smtp.starttls', 'smtp.auth']) expect(r.stdout).toContain(id);
    // without a TTY: one progress line per profile; the report is where results are read
    expect(r.stderr).toMatch(/^checked starttls: \d+ passed/m);
    expect(r.stderr).not.toMatch(/smtp\.auth/);
    const verbose = await cli(['check', ...resolver(), '--verbose']);
    expect(verbose.stderr).toMatch(/^pass {2}starttls {2}smtp\.auth {2}/m);
  });

  test('json, sarif and junit carry the checks', async () => {
    const json = await cli(['check', ...resolver(), '--format', 'json', '--profile', 'ssl']);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout) as { files: { checks: { id: string; profile: string; status: string }[] }[]; summary: { checks: Record<string, number> } };
    expect(report.files[0]!.checks.map((c) => c.id)).toContain('tls.handshake');
    expect(new Set(report.files[0]!.checks.map((c) => c.profile))).toEqual(new Set(['ssl']));
    expect(report.summary.checks.fail).toBe(0);
    // SARIF lists failed and warned checks: a wrong password makes one
    const sarif = await cli(['check', ...resolver(), '--format', 'sarif', '--only', 'auth'], { SANDBOX_PASSWORD: `${PASSWORD}-wrong` });
    expect(sarif.code).toBe(1);
    expect(JSON.parse(sarif.stdout).runs[0].results.map((x: { ruleId: string }) => x.ruleId)).toContain('smtp.auth');
    const junit = await cli(['check', ...resolver(), '--format', 'junit', '--only', 'tls']);
    expect(junit.stdout).toContain('tls.handshake');
  });

  test('lint errors stop it before the network: exit 1, no SMTP session', async () => {
    const path = join(dir, 'bad.yaml');
    writeFileSync(path, `version: 1\nprofiles:\n  p:\n    host: ${sb.host}\n    port: 465\n    encryption: starttls\n    from: { address: "${USER}" }\n`);
    const before = sb.sessions.length;
    const r = await cli(['check', path, ...resolver(), '--format', 'json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { files: { diagnostics: { ruleId: string }[]; checks: unknown[] }[] };
    expect(report.files[0]!.diagnostics.map((d) => d.ruleId)).toContain('port-encryption-mismatch');
    expect(report.files[0]!.checks).toEqual([]);
    expect(sb.sessions.length).toBe(before);
  });

  test('a failing check exits 1', async () => {
    const fault = await sb.startFault('reply-535');
    const path = writeYaml('fault.yaml', [{ name: 'broken', endpoint: fault, encryption: 'ssl' }]);
    const r = await cli(['check', path, ...resolver(), '--format', 'json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { files: { checks: { id: string; status: string }[] }[] };
    expect(report.files[0]!.checks.find((c) => c.id === 'smtp.auth')?.status).toBe('fail');
  });

  test('--deadline ends the run; unfinished checks are skipped with reason deadline', async () => {
    const fault = await sb.startFault('tarpit');
    const path = writeYaml('slow.yaml', [{ name: 'slow', endpoint: fault, encryption: 'starttls' }]);
    const r = await cli(['check', path, ...resolver(), '--timeout', '30s', '--deadline', '700ms', '--format', 'json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { files: { checks: { id: string; status: string; details: { reason: string } }[] }[] };
    const greeting = report.files[0]!.checks.find((c) => c.id === 'smtp.greeting');
    expect(greeting).toMatchObject({ status: 'skip', details: { reason: 'deadline' } });
  });

  test('usage errors exit 2: unknown --only name, unknown profile, bad duration, bad resolver', async () => {
    expect((await cli(['check', '--only', 'nope'])).code).toBe(2);
    const missing = await cli(['check', '--profile', 'nope', ...resolver()]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no profile named "nope"');
    expect((await cli(['check', '--timeout', 'soon'])).code).toBe(2);
    expect((await cli(['check', '--resolver', 'dns.example'])).code).toBe(2);
  });

  test('a missing secret skips the login and names the variable', async () => {
    const r = await cli(['check', ...resolver(), '--profile', 'ssl', '--only', 'auth', '--format', 'json'], {});
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { files: { checks: { id: string; status: string; message: string }[] }[] };
    const auth = report.files[0]!.checks.find((c) => c.id === 'smtp.auth');
    expect(auth).toMatchObject({ status: 'skip' });
    expect(auth!.message).toContain('SANDBOX_PASSWORD');
  });

  test('a wrong password: the reply is shown, never the password', async () => {
    const r = await cli(['check', ...resolver(), '--only', 'auth', '--format', 'json'], { SANDBOX_PASSWORD: `${PASSWORD}-wrong` });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('535');
    expect(r.stdout).not.toContain(`${PASSWORD}-wrong`);
  });
});

describe('mailcheck send', () => {
  test("prints the server's reply and the message id; from name, reply-to, bcc and charset are used", async () => {
    const path = writeYaml('send.yaml', [
      { name: 'app', endpoint: sb.smtp.starttls, encryption: 'starttls', extra: ['replyTo: support@example.org', 'bcc: [archive@example.org]', 'charset: ISO-8859-1'] },
    ]);
    const before = sb.messages.length;
    const r = await cli(['send', path, '--to', 'someone@example.org', '--subject', 'Hello from the test']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/server replied: 250 /);
    expect(r.stdout).toMatch(/message id: +<[^>]+>/);
    const got = sb.messages.slice(before);
    expect(got).toHaveLength(1);
    const m = got[0]!;
    expect(m.envelope.to.sort()).toEqual(['archive@example.org', 'someone@example.org']);
    expect(m.secure).toBe(true);
    const raw = m.raw.toString('utf8');
    expect(raw).toContain('From: Acme App <app@sandbox.mailcheck.test>');
    expect(raw).toContain('Reply-To: support@example.org');
    expect(raw).toContain('Subject: Hello from the test');
    expect(raw).toMatch(/charset=ISO-8859-1/i);
    expect(raw).not.toMatch(/^Bcc:/m);
  });

  test('--json gives the SendResult', async () => {
    const r = await cli(['send', '--profile', 'ssl', '--to', 'x@example.org', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { accepted: string[]; messageId: string; response: string; envelope: { from: string } };
    expect(out.accepted).toEqual(['x@example.org']);
    expect(out.envelope.from).toBe(USER);
    expect(out.response).toMatch(/^250 /);
  });

  test('--log FILE: one JSON line per send (sent and refused), 0600, never the secret', async () => {
    const log = join(dir, 'send-log.jsonl');
    const ok = await cli(['send', '--profile', 'ssl', '--to', 'logged@example.org', '--log', 'send-log.jsonl']);
    expect(ok.code).toBe(0);
    const bad = await cli(['send', '--profile', 'starttls', '--to', 'logged@example.org', '--log', log], { SANDBOX_PASSWORD: `${PASSWORD}-wrong` });
    expect(bad.code).toBe(1);
    const text = readFileSync(log, 'utf8');
    for (const f of [...FORBIDDEN, `${PASSWORD}-wrong`]) expect(text).not.toContain(f);
    expect(statSync(log).mode & 0o777).toBe(0o600);
    const lines = text.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => [l.profile, l.to, l.ok, l.code ?? null, l.smtpCode ?? null])).toEqual([
      ['ssl', 'logged@example.org', true, null, null],
      ['starttls', 'logged@example.org', false, 'EAUTH', 535],
    ]);
    expect(lines[0]!.messageId).toMatch(/^<[^>]+>$/);
    expect(lines[0]!.reply).toMatch(/^250 /);
    expect(Date.parse(String(lines[0]!.time))).not.toBeNaN();
  });

  test('--log refuses a FIFO before sending: exit 2, nothing sent', async () => {
    const fifo = join(dir, 'log-fifo');
    execFileSync('mkfifo', [fifo]);
    const before = sb.messages.length;
    const r = await cli(['send', '--profile', 'ssl', '--to', 'x@example.org', '--log', fifo]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/FIFO/);
    expect(sb.messages.length).toBe(before);
  });

  test("a server reply with escape sequences and line breaks is printed and logged visibly, on one line", async () => {
    // a bare SMTP server (no TLS, no AUTH) whose final reply carries terminal escapes
    const EVIL = '250 queued \x1b[2J\x1b]0;pwned\x07 \u202Eevil';
    const server = createServer((socket) => {
      socket.setEncoding('utf8');
      let data = false;
      let buf = '';
      socket.write('220 evil.example ESMTP\r\n');
      socket.on('data', (chunk: string) => {
        buf += chunk;
        for (let nl = buf.indexOf('\r\n'), n = 0; nl >= 0 && n < 100; nl = buf.indexOf('\r\n'), n++) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 2);
          if (data) {
            if (line === '.') {
              data = false;
              socket.write(`${EVIL}\r\n`);
            }
          } else if (/^(EHLO|HELO)/i.test(line)) socket.write('250 evil.example\r\n');
          else if (/^DATA/i.test(line)) {
            data = true;
            socket.write('354 go\r\n');
          } else if (/^QUIT/i.test(line)) socket.end('221 bye\r\n');
          else socket.write('250 ok\r\n');
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      const path = join(dir, 'evil.yaml');
      writeFileSync(path, `version: 1\nprofiles:\n  evil:\n    host: 127.0.0.1\n    port: ${port}\n    encryption: none\n    auth: { method: none }\n    from: { address: "app@example.org" }\n`);
      const r = await cli(['send', path, '--to', 'x@example.org', '--log', 'evil-log.jsonl'], {});
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).not.toMatch(/[\x1b\x07\u202E]/);
      expect(r.stdout).toMatch(/server replied: 250 queued ␛\[2J␛\]0;pwned␇ \uFFFDevil/);
      const logged = JSON.parse(readFileSync(join(dir, 'evil-log.jsonl'), 'utf8').trim()) as { reply: string };
      expect(logged.reply).not.toMatch(/[\x1b\x07\u202E]/);
      expect(logged.reply).toContain('␛[2J');
    } finally {
      server.close();
    }
  });

  test('a refused login exits 1 with the reply and a hint, never the secret', async () => {
    const r = await cli(['send', '--profile', 'starttls', '--to', 'x@example.org'], { SANDBOX_PASSWORD: `${PASSWORD}-wrong` });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/535/);
    expect(r.stderr).toContain('hint:');
    expect(r.stderr).not.toContain(`${PASSWORD}-wrong`);
  });

  test('xoauth2 with an access token', async () => {
    const path = join(dir, 'oauth.yaml');
    writeFileSync(
      path,
      `version: 1\nprofiles:\n  p:\n    host: ${sb.host}\n    port: ${sb.smtp.ssl.port}\n    encryption: ssl\n    auth: { method: xoauth2, user: "${USER}", accessToken: "\${SANDBOX_PASSWORD}" }\n    from: { address: "${USER}" }\n    tls: { ca: "${sb.caPath}" }\n`,
    );
    const before = sb.messages.length;
    const r = await cli(['send', path, '--to', 'x@example.org']);
    expect(r.code).toBe(0);
    expect(sb.messages.slice(before)[0]?.authMethod).toBe('xoauth2');
  });

  test('several profiles need --profile; --to is required', async () => {
    expect((await cli(['send', '--to', 'x@example.org'])).code).toBe(2);
    expect((await cli(['send', '--profile', 'ssl'])).code).toBe(2);
  });

  test('a cleartext login is refused unless cleartext-auth is off', async () => {
    const path = join(dir, 'cleartext.yaml');
    writeFileSync(
      path,
      `version: 1\nprofiles:\n  p:\n    host: ${sb.host}\n    port: ${sb.smtp.plain.port}\n    encryption: none\n    auth: { method: plain, username: "${USER}", password: "\${SANDBOX_PASSWORD}" }\n    from: { address: "${USER}" }\nrules:\n  cleartext-auth: warn\n`,
    );
    const before = sb.sessions.length;
    const r = await cli(['send', path, '--to', 'x@example.org']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('unencrypted');
    expect(sb.sessions.length).toBe(before);
  });
});

describe('secret redaction', () => {
  test('no output of any run above holds the password, its base64, or the base64 PLAIN blob', async () => {
    // a few more runs that touch the secret in every way: debug, every format, a refused login
    for (const format of ['stylish', 'json', 'sarif', 'github', 'junit']) {
      await cli(['check', ...resolver(), '--format', format, '--debug']);
      await cli(['check', ...resolver(), '--format', format, '--only', 'auth'], { SANDBOX_PASSWORD: PASSWORD.slice(0, -1) });
    }
    await cli(['send', '--profile', 'plain', '--to', 'x@example.org', '--debug']);
    const all = everything.join('\n');
    expect(all.length).toBeGreaterThan(1000);
    for (const f of [...FORBIDDEN, PASSWORD.slice(0, -1), Buffer.from(`\0${USER}\0${PASSWORD.slice(0, -1)}`).toString('base64')]) {
      expect(all).not.toContain(f);
    }
  });
});
