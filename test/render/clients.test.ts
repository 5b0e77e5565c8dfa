/**
 * The rendered files drive real clients against the sandbox: Nodemailer imports the rendered
 * module, msmtp reads the rendered msmtprc, swaks runs the rendered command line. Secrets are
 * inline (the special password), written into a temporary folder. The sandbox records which
 * listener, encryption and login each message used.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Secret } from '../../src/config/secret.ts';
import { render } from '../../src/render.ts';
import { startSandbox, type ReceivedMessage, type Sandbox } from '../../src/sandbox/index.ts';
import type { Encryption, Profile } from '../../src/types.ts';
import { SPECIAL_PASSWORD } from './profiles.ts';

const INSTALL = 'run `sudo bash scripts/setup-system.sh` (or apt-get install -y --no-install-recommends msmtp swaks libnet-ssleay-perl)';

/** Fails (never skips) when a client the test needs is missing. */
function requireClient(name: 'msmtp' | 'swaks'): void {
  const found = spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
  if (!found) throw new Error(`${name} is not installed: ${INSTALL}`);
  if (name === 'swaks' && !/=== TLS supported/.test(spawnSync('swaks', ['--support'], { encoding: 'utf8' }).stdout)) {
    throw new Error(`swaks has no TLS support (Net::SSLeay missing): ${INSTALL}`);
  }
}

const USER = 'client@sandbox.mailcheck.test';

let sb: Sandbox;
let dir: string;

beforeAll(async () => {
  sb = await startSandbox({ users: [{ username: USER, password: SPECIAL_PASSWORD }] });
  dir = mkdtempSync(join(tmpdir(), 'mailcheck-clients-'));
});
afterAll(async () => {
  await sb?.close();
  rmSync(dir, { recursive: true, force: true });
});

const LISTENER: Record<Encryption, 'ssl' | 'starttls' | 'plain'> = { ssl: 'ssl', starttls: 'starttls', none: 'plain' };

function profileFor(name: string, encryption: Encryption, method: 'login' | 'plain' = 'login'): Profile {
  const endpoint = sb.smtp[LISTENER[encryption]];
  return {
    name,
    transport: 'smtp',
    host: endpoint.host,
    port: endpoint.port,
    encryption,
    auth: { method, username: USER, password: new Secret({ kind: 'env', name: 'SMTP_PASSWORD' }) },
    from: { address: USER, name: 'Zoë "Zed" Ünïcode' },
    bcc: [],
    ...(encryption === 'none' ? {} : { tls: { verify: true, ca: sb.caPath } }),
  };
}

/** Renders with inline secrets and writes every file into the temp folder (0600). */
function renderInto(profile: Profile, target: string): Record<string, string> {
  const out = render(profile, target, { secrets: 'inline', reveal: () => SPECIAL_PASSWORD });
  const paths: Record<string, string> = {};
  for (const f of out.files) {
    const path = join(dir, `${profile.name}-${f.name}`);
    writeFileSync(path, f.content, { mode: 0o600 });
    chmodSync(path, 0o600);
    paths[f.name] = path;
  }
  return paths;
}

/** The message that arrived for `rcpt`, and the session it came in. */
function arrived(rcpt: string): ReceivedMessage {
  const m = sb.messages.find((x) => x.envelope.to.includes(rcpt));
  if (!m) throw new Error(`no message for ${rcpt}; sandbox has ${sb.messages.map((x) => x.envelope.to.join(',')).join(' | ')}`);
  return m;
}

function expectDelivery(rcpt: string, encryption: Encryption, method: string): void {
  const m = arrived(rcpt);
  expect(m.listener).toBe(LISTENER[encryption]);
  expect(m.secure).toBe(encryption !== 'none');
  expect(m.authUser).toBe(USER);
  expect(m.authMethod).toBe(method);
  expect(m.envelope.from).toBe(USER);
  // credentials only ever crossed an encrypted link (or none, as asked)
  const session = sb.sessions.find((s) => s.auth.some((a) => a.ok && a.username === USER) && s.commands.includes('DATA') && s.listener === LISTENER[encryption]);
  expect(session?.auth.every((a) => a.secure === (encryption !== 'none'))).toBe(true);
  if (encryption === 'starttls') expect(session?.commands).toContain('STARTTLS');
}

/** Runs a client without blocking the event loop (the sandbox lives in this process). */
function run(cmd: string, args: string[], input?: string, env: Record<string, string> = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
    // a client that does not read stdin may exit before we write: its exit status tells
    child.stdin.on('error', () => undefined);
    child.stdin.end(input ?? '');
  });
}

const MESSAGE = (to: string) => `From: client@sandbox.mailcheck.test\r\nTo: ${to}\r\nSubject: rendered client test\r\n\r\nhello\r\n`;

describe('rendered nodemailer module sends with Nodemailer', () => {
  for (const encryption of ['ssl', 'starttls'] as const) {
    it(`encryption: ${encryption}`, async () => {
      const paths = renderInto(profileFor(`nodemailer-${encryption}`, encryption), 'nodemailer');
      const mod = (await import(pathToFileURL(paths['mailer.mjs']!).href)) as { transport: object; defaults: object };
      const nodemailer = await import('nodemailer');
      const rcpt = `nodemailer-${encryption}@example.test`;
      const transport = nodemailer.createTransport(mod.transport as Parameters<typeof nodemailer.createTransport>[0], mod.defaults);
      await transport.sendMail({ to: rcpt, subject: 'rendered nodemailer test', text: 'hello' });
      transport.close();
      expectDelivery(rcpt, encryption, 'login');
      // the From name went through the rendered defaults (RFC 2047-encoded by Nodemailer)
      expect(arrived(rcpt).raw.toString('utf8')).toMatch(/^From: =\?UTF-8\?/m);
    });
  }
});

describe('rendered msmtprc sends with msmtp', () => {
  for (const [encryption, method] of [['ssl', 'plain'], ['starttls', 'login']] as const) {
    it(`encryption: ${encryption}, auth ${method}`, async () => {
      requireClient('msmtp');
      const profile = profileFor(`msmtp-${encryption}`, encryption, method);
      const paths = renderInto(profile, 'msmtp');
      const rcpt = `msmtp-${encryption}@example.test`;
      const r = await run('msmtp', ['-C', paths['msmtprc']!, '-a', profile.name, rcpt], MESSAGE(rcpt));
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expectDelivery(rcpt, encryption, method);
    });
  }
});

describe('rendered msmtprc with --secrets ref reads the secret itself (passwordeval)', () => {
  it('from the environment variable and from a secret file', async () => {
    requireClient('msmtp');
    const secretFile = join(dir, 'smtp password');
    writeFileSync(secretFile, SPECIAL_PASSWORD, { mode: 0o600 });
    const cases = [
      ['env', new Secret({ kind: 'env', name: 'SMTP_PASSWORD' })],
      ['file', new Secret({ kind: 'file', path: secretFile })],
    ] as const;
    for (const [kind, password] of cases) {
      const profile = { ...profileFor(`msmtp-ref-${kind}`, 'starttls'), auth: { method: 'login' as const, username: USER, password } };
      const out = render(profile, 'msmtp', { secrets: 'ref' });
      expect(out.files[0]!.content).not.toContain(SPECIAL_PASSWORD);
      const rc = join(dir, `${profile.name}-msmtprc`);
      writeFileSync(rc, out.files[0]!.content, { mode: 0o600 });
      const rcpt = `msmtp-ref-${kind}@example.test`;
      const r = await run('msmtp', ['-C', rc, '-a', profile.name, rcpt], MESSAGE(rcpt), { SMTP_PASSWORD: SPECIAL_PASSWORD });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expectDelivery(rcpt, 'starttls', 'login');
    }
  });
});

describe('rendered swaks command line sends with swaks', () => {
  for (const encryption of ['ssl', 'starttls', 'none'] as const) {
    it(`encryption: ${encryption}`, async () => {
      requireClient('swaks');
      const paths = renderInto(profileFor(`swaks-${encryption}`, encryption), 'swaks');
      const rcpt = `swaks-${encryption}@example.test`;
      const r = await run('sh', [paths['swaks.sh']!, '--to', rcpt, '--hide-all']);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expectDelivery(rcpt, encryption, 'login');
      expect(arrived(rcpt).raw.toString('utf8')).toMatch(/^From: =\?UTF-8\?B\?[^?]+\?= <client@sandbox\.mailcheck\.test>/m);
    });
  }
});

describe('rendered swaks script with --secrets ref takes the password from the environment', () => {
  it('SWAKS_OPT_auth_password from ${SMTP_PASSWORD}', async () => {
    requireClient('swaks');
    const profile = profileFor('swaks-ref', 'ssl');
    const out = render(profile, 'swaks', { secrets: 'ref' });
    expect(out.files[0]!.content).not.toContain(SPECIAL_PASSWORD);
    const script = join(dir, 'swaks-ref.sh');
    writeFileSync(script, out.files[0]!.content, { mode: 0o644 });
    const rcpt = 'swaks-ref@example.test';
    const r = await run('sh', [script, '--to', rcpt, '--hide-all'], undefined, { SMTP_PASSWORD: SPECIAL_PASSWORD });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expectDelivery(rcpt, 'ssl', 'login');
    // without the variable the script stops before swaks runs
    const missing = await run('sh', [script, '--to', rcpt, '--hide-all']);
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toContain('set SMTP_PASSWORD');
  });
});
