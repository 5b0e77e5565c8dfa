/**
 * SPEC §7 "Secrets never leave", issue "Hardening" class 1: a server that answers AUTH with
 * `535 … you sent <the line the client sent>` must not make mailcheck print the password or the
 * token in any encoding — in any format, in progress lines, in errors, from `check` or `send`.
 * The CLI runs as its own process (a fresh redactor: nothing registered by an earlier test).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server, type TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPORTERS } from '../../src/report/index.ts';
import { generateCerts } from '../../src/sandbox/certs.ts';

const root = join(import.meta.dirname, '..', '..');
const USER = 'app@echo.test';
const PASSWORD = 'p@ss "w0rd"/ü-Echo+Long=1234';
const TOKEN = 'ya29.Echo-Token_abc.DEF/ghi+jkl=';
let server: Server;
let port = 0;
let dir = '';
/** every line the server received after AUTH began, as sent (the echoes) */
const received: string[] = [];

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
/** the forms a leak would take, computed here (not with the code under test) */
function forbidden(secret: string, user = USER): string[] {
  return [
    secret,
    b64(secret),
    b64(`\0${user}\0${secret}`),
    b64(`user=${user}\x01auth=Bearer ${secret}\x01\x01`),
    encodeURIComponent(secret),
    JSON.stringify(secret).slice(1, -1),
    Buffer.from(secret).toString('hex'),
    // the middle of the base64 at every alignment, as a server would cut a blob
    ...[0, 1, 2].map((k) => Buffer.from('x'.repeat(k) + secret).toString('base64').slice(4, -4)),
  ];
}

beforeAll(async () => {
  const certs = await generateCerts({ domain: 'echo.test' });
  dir = mkdtempSync(join(tmpdir(), 'mailcheck-echo-'));
  writeFileSync(join(dir, 'ca.pem'), certs.caPem);
  const kc = certs.get('server');
  // implicit TLS: credentials go only over TLS, so the hostile server must speak it
  server = createServer({ key: kc.key, cert: kc.cert }, (socket: TLSSocket) => {
    socket.write('220 echo.test ESMTP hostile\r\n');
    let buf = '';
    let inAuth = false;
    socket.on('data', (chunk: Buffer) => {
      buf += chunk.toString('latin1');
      for (let i = buf.indexOf('\r\n'); i >= 0; i = buf.indexOf('\r\n')) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 2);
        if (/^EHLO/i.test(line)) socket.write('250-echo.test\r\n250-AUTH PLAIN LOGIN XOAUTH2\r\n250 8BITMIME\r\n');
        else if (/^AUTH LOGIN/i.test(line)) {
          inAuth = true;
          received.push(line);
          socket.write('334 UGFzc3dvcmQ6\r\n');
        } else if (/^AUTH /i.test(line)) {
          received.push(line);
          // the echo, raw and decoded (XOAUTH2's \x01 and PLAIN's \0 included)
          const blob = line.split(' ')[2] ?? '';
          socket.write(`535 5.7.8 you sent ${line} = ${Buffer.from(blob, 'base64').toString('latin1')}\r\n`);
        } else if (inAuth) {
          inAuth = false;
          received.push(line);
          socket.write(`535 5.7.8 you sent ${line} = ${Buffer.from(line, 'base64').toString('latin1')}\r\n`);
        } else if (/^QUIT/i.test(line)) socket.end('221 bye\r\n');
        else socket.write('250 ok\r\n');
      }
    });
    socket.on('error', () => undefined);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as AddressInfo).port;
});

afterAll(() => {
  server?.close();
});

function yaml(method: 'plain' | 'login' | 'xoauth2'): string {
  const auth =
    method === 'xoauth2'
      ? `{ method: xoauth2, user: ${USER}, accessToken: "\${ECHO_TOKEN}" }`
      : `{ method: ${method}, username: ${USER}, password: "\${ECHO_PASSWORD}" }`;
  const path = join(dir, `${method}.yaml`);
  writeFileSync(
    path,
    ['version: 1', 'profiles:', '  echo:', '    host: 127.0.0.1', `    port: ${port}`, '    encryption: ssl', `    auth: ${auth}`, `    from: { address: ${USER} }`, `    tls: { ca: ${join(dir, 'ca.pem')}, servername: smtp.echo.test }`, 'rules: { port-25-submission: off, preset-mismatch: off }', ''].join('\n'),
  );
  return path;
}

async function mailcheck(args: string[]): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, [join(root, 'bin', 'mailcheck.cjs'), ...args], {
    env: { ...process.env, CI: 'true', NO_COLOR: '1', ECHO_PASSWORD: PASSWORD, ECHO_TOKEN: TOKEN },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (c) => (out += c));
  child.stderr.on('data', (c) => (out += c));
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const [code] = (await once(child, 'close')) as [number | null];
  clearTimeout(timer);
  return { code, out };
}

const expectClean = (out: string, secret: string): void => {
  for (const form of forbidden(secret)) expect(out.includes(form), `leaked ${JSON.stringify(form)}`).toBe(false);
};

describe('a server echoing the AUTH line', () => {
  const formats = Object.keys(REPORTERS);
  for (const method of ['plain', 'login', 'xoauth2'] as const) {
    const secret = method === 'xoauth2' ? TOKEN : PASSWORD;
    it(`check (${method}): no format and no progress line shows the secret`, async () => {
      const path = yaml(method);
      for (const format of formats) {
        const before = received.length;
        const r = await mailcheck(['check', path, '--only', 'auth', '--format', format, '--timeout', '5s']);
        expect(r.code, `${format}: ${r.out.slice(0, 300)}`).toBe(1);
        // the server really got (and echoed) the credential: the test would see a leak
        expect(received.length).toBeGreaterThan(before);
        expect(r.out).toMatch(/535|5\.7\.8/);
        expectClean(r.out, secret);
      }
    }, 120_000);

    it(`check (${method}) --report: every format written to files in one run, none with the secret`, async () => {
      const path = yaml(method);
      const dir = mkdtempSync(join(tmpdir(), 'mailcheck-echo-report-'));
      try {
        const reports = formats.map((f) => `${f}=${join(dir, `report.${f}`)}`);
        const r = await mailcheck(['check', path, '--only', 'auth', '--timeout', '5s', ...reports.flatMap((x) => ['--report', x])]);
        expect(r.code, r.out.slice(0, 300)).toBe(1);
        expectClean(r.out, secret);
        for (const f of formats) {
          const text = readFileSync(join(dir, `report.${f}`), 'utf8');
          expect(text, f).toMatch(/535|5\.7\.8/);
          expectClean(text, secret);
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }, 120_000);

    it(`send (${method}): the refusal is reported without the secret`, async () => {
      const path = yaml(method);
      const r = await mailcheck(['send', path, '--to', 'you@echo.test', '--timeout', '5s']);
      expect(r.code).toBe(1);
      expect(r.out).toMatch(/535|5\.7\.8|not sent/);
      expectClean(r.out, secret);
      const json = await mailcheck(['send', path, '--to', 'you@echo.test', '--timeout', '5s', '--json']);
      expectClean(json.out, secret);
    }, 60_000);
  }
});
