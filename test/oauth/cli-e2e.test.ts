// The OAuth2 walk-through as a user runs it, every step a spawned `bin/mailcheck.cjs` (the built
// CLI, no stdin): `sandbox --oauth --write` (oidc-provider on loopback HTTPS, device codes approved
// as the sandbox user) → `oauth login --flow device` writes the refresh token 0600 → `check` proves
// oauth.token and smtp.auth in one run, every format written through `--report`, and no token, no
// XOAUTH2 initial response (raw or base64) appears in any of them or on the terminal.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORMATS } from '../../src/report/index.ts';

const BIN = resolve(import.meta.dirname, '../../bin/mailcheck.cjs');
let dir: string;
let sandbox: ChildProcess;
let printed = '';

interface Ran {
  code: number | null;
  out: string;
  err: string;
}

function run(args: string[], env: Record<string, string>, timeoutMs = 60_000): Promise<Ran> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, env: { ...process.env, ...env, NO_COLOR: '1', CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, out, err });
    });
  });
}

const field = (re: RegExp): string => {
  const m = re.exec(printed);
  if (!m?.[1]) throw new Error(`sandbox output lacks ${re}:\n${printed}`);
  return m[1];
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mailcheck-oauth-e2e-'));
  sandbox = spawn(process.execPath, [BIN, 'sandbox', '--oauth', '--write', 'mail.yaml'], { cwd: dir, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((ready, fail) => {
    const timer = setTimeout(() => fail(new Error(`sandbox did not start:\n${printed}`)), 25_000);
    const read = (c: Buffer): void => {
      printed += c.toString();
      if (printed.includes('Ctrl-C stops')) {
        clearTimeout(timer);
        ready();
      }
    };
    sandbox.stdout!.on('data', read);
    sandbox.stderr!.on('data', read);
    sandbox.on('exit', () => fail(new Error(`sandbox exited:\n${printed}`)));
  });
}, 30_000);

afterAll(async () => {
  if (sandbox && sandbox.exitCode === null) {
    const exited = new Promise((r) => sandbox.once('exit', r));
    sandbox.kill('SIGINT');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
    sandbox.kill('SIGKILL');
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('mailcheck sandbox --oauth → oauth login → check (spawned CLI)', () => {
  it('prints no oidc-provider development warnings, and a check command that works as printed', () => {
    expect(printed).not.toContain('oidc-provider WARNING');
    expect(printed).toMatch(/Try: mailcheck check mail\.yaml --resolver 127\.0\.0\.1:\d+ --mta-sts-port \d+/);
  });

  it('logs in with the device flow, then proves the token on the wire; nothing secret in any format', async () => {
    const env = { NODE_EXTRA_CA_CERTS: field(/export NODE_EXTRA_CA_CERTS=(\S+)/) };
    const login = await run(['oauth', 'login', 'mail.yaml', '--profile', 'oauth', '--flow', 'device', '--deadline', '45s'], env);
    expect(login.err + login.out).toMatch(/refresh token of profile oauth written to .*sandbox-oauth\.refresh-token \(mode 0600\)/);
    expect(login.code).toBe(0);
    const tokenFile = join(dir, 'sandbox-oauth.refresh-token');
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    const refreshToken = readFileSync(tokenFile, 'utf8').trim();
    expect(refreshToken.length).toBeGreaterThan(20);

    const flags = field(/--profile oauth (--resolver \S+ --mta-sts-port \d+)/).split(' ');
    const reports = FORMATS.filter((f) => f !== 'json').flatMap((f) => ['--report', `${f}=report.${f}`]);
    const check = await run(['check', 'mail.yaml', '--profile', 'oauth', ...flags, '--format', 'json', '--save-refresh-token', ...reports], env);
    const report = JSON.parse(check.out) as { files: { checks: { id: string; status: string }[] }[] };
    const status = Object.fromEntries(report.files.flatMap((f) => f.checks).map((c) => [c.id, c.status]));
    expect(status['oauth.token']).toBe('pass');
    expect(status['smtp.auth']).toBe('pass');
    expect(check.code).toBe(0);

    // the provider rotated the refresh token and --save-refresh-token wrote the new one, 0600
    const rotated = readFileSync(tokenFile, 'utf8').trim();
    expect(rotated).not.toBe(refreshToken);
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);

    const outputs: Record<string, string> = { terminal: login.out + login.err + check.err, json: check.out, sandbox: printed };
    for (const f of FORMATS) if (f !== 'json') outputs[f] = readFileSync(join(dir, `report.${f}`), 'utf8');
    const b64 = (s: string): string => Buffer.from(s).toString('base64');
    for (const [name, text] of Object.entries(outputs)) {
      for (const secret of [refreshToken, rotated, b64(refreshToken), b64(rotated)]) expect(text, name).not.toContain(secret);
      // an XOAUTH2 initial response is base64 of "user=…\x01auth=Bearer …"; oidc-provider's
      // opaque tokens are 43 base64url characters
      expect(text, name).not.toContain(b64('user=sandbox@sandbox.mailcheck.test\x01auth=Bearer ').slice(0, 40));
      expect(text, name).not.toMatch(/auth=Bearer/);
      expect(text, name).not.toMatch(/(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/);
    }
  });
});
