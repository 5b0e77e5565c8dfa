// `mailcheck oauth login` and `mailcheck check` as a user runs them (the bundled CLI, spawned):
// from an xoauth2 profile with only a client id to a working login, offline against oidc-provider
// and the sandbox. NODE_EXTRA_CA_CERTS makes the spawned CLI trust the authorization server's CA.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORMATS } from '../../src/report/index.ts';
import { xoauth2Response } from '../../src/net/smtp-auth.ts';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.ts';
import { actAsUser, CLIENT_SECRET, CONFIDENTIAL_ID, SMTP_SCOPE, startAuthServer, type AuthServer } from '../oauth/helpers.ts';

const BIN = resolve(import.meta.dirname, '..', '..', 'bin', 'mailcheck.cjs');
const USER = 'sandbox@sandbox.mailcheck.test';
let as: AuthServer;
let sb: Sandbox;
const seenTokens: string[] = [];
const dir = mkdtempSync(join(tmpdir(), 'mailcheck-oauth-cli-'));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function mailcheck(args: string[], onStdout?: (text: string) => void): Promise<Run> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: dir,
      env: { PATH: process.env.PATH, NO_COLOR: '1', NODE_EXTRA_CA_CERTS: join(dir, 'as-ca.pem'), SMTP_CLIENT_SECRET: CLIENT_SECRET },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
      onStdout?.(stdout);
    });
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  as = await startAuthServer();
  sb = await startSandbox({
    verifyBearer: async (token, username) => {
      seenTokens.push(token);
      return as.verifyBearer(token, username);
    },
  });
  writeFileSync(join(dir, 'as-ca.pem'), as.caPem);
  writeFileSync(
    join(dir, 'mail.yaml'),
    [
      'version: 1',
      'profiles:',
      '  m365:',
      `    host: ${sb.smtp.ssl.host}`,
      `    port: ${sb.smtp.ssl.port}`,
      '    encryption: ssl',
      `    tls: { ca: ${JSON.stringify(sb.caPath)} }`,
      `    from: ${USER}`,
      '    auth:',
      '      method: xoauth2',
      `      user: ${USER}`,
      `      clientId: ${CONFIDENTIAL_ID}`,
      '      clientSecret: ${SMTP_CLIENT_SECRET}',
      '      refreshToken: { file: ./secrets/refresh-token }',
      `      tokenUrl: ${as.tokenUrl}`,
      `      deviceAuthorizationUrl: ${as.deviceAuthorizationUrl}`,
      `      authorizationUrl: ${as.authorizationUrl}`,
      `      scopes: [${SMTP_SCOPE}, offline_access]`,
      'rules:',
      '  from-required: off',
      '',
    ].join('\n'),
  );
}, 60_000);
afterAll(async () => {
  await Promise.all([as?.close(), sb?.close()]);
});

describe('mailcheck oauth login → check', () => {
  it('device flow writes the refresh token 0600 and never prints it; check proves it in every format', async () => {
    let approving: Promise<unknown> | undefined;
    const login = await mailcheck(['oauth', 'login', '--profile', 'm365', '--flow', 'device', '--deadline', '50s'], (out) => {
      const m = /\(or open (\S+)\)/.exec(out);
      if (m && !approving) approving = actAsUser(m[1]!, as.caPem, USER);
    });
    await approving;
    expect(login.stderr).toBe('');
    expect(login.code).toBe(0);
    const file = join(dir, 'secrets', 'refresh-token');
    const refresh = readFileSync(file, 'utf8').trim();
    expect(refresh.length).toBeGreaterThan(10);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(login.stdout).not.toContain(refresh);

    for (const format of FORMATS) {
      const r = await mailcheck(['check', '--only', 'oauth,auth', '--format', format, '--timeout', '5s']);
      expect({ format, code: r.code }).toEqual({ format, code: 0 });
      const text = r.stdout + r.stderr;
      const secrets = [refresh, CLIENT_SECRET, ...seenTokens];
      for (const s of secrets) {
        expect(text).not.toContain(s);
        expect(text).not.toContain(Buffer.from(s).toString('base64').slice(4, -4));
      }
      for (const t of seenTokens) expect(text).not.toContain(xoauth2Response(USER, t).slice(0, 40));
    }
    expect(seenTokens.length).toBe(FORMATS.length);
  });

  it('refuses a flow the profile has no endpoint for, and writes nothing', async () => {
    writeFileSync(join(dir, 'other.yaml'), readFileSync(join(dir, 'mail.yaml'), 'utf8').replace(/\s+deviceAuthorizationUrl: .*\n/, '\n').replace('refresh-token', 'other-token'));
    const r = await mailcheck(['oauth', 'login', 'other.yaml', '--profile', 'm365', '--flow', 'device']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--flow device');
  });
});
