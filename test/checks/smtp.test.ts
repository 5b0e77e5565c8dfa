import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Secret } from '../../src/config/secret.ts';
import { runChecks } from '../../src/checks/run.ts';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.ts';
import type { Profile } from '../../src/types.ts';
import { byId, reasonOf, sandboxProfile, sandboxRun } from './helpers.ts';

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox();
});
afterAll(async () => {
  await sb.close();
});

async function settle(): Promise<void> {
  await new Promise((r) => setTimeout(r, 50));
}

describe('a healthy profile', () => {
  test('every SMTP check passes over exactly one connection per profile', async () => {
    const profiles: Profile[] = [
      sandboxProfile(sb, sb.smtp.ssl, 'ssl', { name: 'ssl' }),
      sandboxProfile(sb, sb.smtp.starttls, 'starttls', { name: 'starttls' }),
      sandboxProfile(sb, sb.smtp.plain, 'none', { name: 'plain' }),
    ];
    const before = sb.sessions.length;
    const r = await runChecks(profiles, sandboxRun(sb, { rcpt: 'someone@example.org' }));
    await settle();
    for (const name of ['ssl', 'starttls', 'plain']) {
      const mine = byId(r, name);
      for (const id of ['smtp.connect', 'smtp.greeting', 'smtp.auth', 'smtp.envelope']) expect(mine[id]?.status, `${name} ${id}`).toBe('pass');
    }
    expect(byId(r, 'ssl')['tls.handshake']?.status).toBe('pass');
    expect(byId(r, 'starttls')['tls.handshake']?.status).toBe('pass');
    expect(byId(r, 'starttls')['smtp.starttls']?.status).toBe('pass');
    expect(byId(r, 'plain')['tls.handshake']).toBeUndefined();
    const sessions = sb.sessions.slice(before);
    expect(sessions.map((s) => s.listener).sort()).toEqual(['plain', 'ssl', 'starttls']);
    // results come back in profile order, then registry order
    expect(r.map((x) => x.profile)).toEqual([...r.map((x) => x.profile)].sort((a, b) => ['ssl', 'starttls', 'plain'].indexOf(a) - ['ssl', 'starttls', 'plain'].indexOf(b)));
  });

  test('tls.handshake reports protocol, cipher and certificate details', async () => {
    const r = byId(await runChecks([sandboxProfile(sb, sb.smtp.ssl, 'ssl')], sandboxRun(sb, { only: ['tls'] })));
    expect(r['tls.handshake']).toMatchObject({ status: 'pass', details: { chainTrusted: true, nameMatches: true, customCa: true } });
    expect(r['tls.handshake']!.details!.protocol).toMatch(/^TLSv1\.[23]$/);
    expect((r['tls.handshake']!.details!.certificate as unknown[]).length).toBeGreaterThanOrEqual(1);
    expect(r['smtp.auth']).toBeUndefined();
  });
});

describe('tls.handshake failures', () => {
  test('without the CA the chain is untrusted: fail, and the login is skipped', async () => {
    const r = byId(await runChecks([sandboxProfile(sb, sb.smtp.ssl, 'ssl', { tls: {} })], sandboxRun(sb)));
    expect(r['tls.handshake']).toMatchObject({ status: 'fail', details: { reason: 'untrusted', chainTrusted: false } });
    expect(r['smtp.auth']).toMatchObject({ status: 'skip', details: { reason: 'prerequisite' } });
  });

  test('tls.verify: false downgrades the failure to a warning and the login goes ahead', async () => {
    const r = byId(await runChecks([sandboxProfile(sb, sb.smtp.ssl, 'ssl', { tls: { verify: false } })], sandboxRun(sb)));
    expect(r['tls.handshake']).toMatchObject({ status: 'warn', details: { reason: 'untrusted' } });
    expect(r['smtp.auth']?.status).toBe('pass');
  });

  test('an unreadable tls.ca is named', async () => {
    const r = byId(await runChecks([sandboxProfile(sb, sb.smtp.ssl, 'ssl', { tls: { ca: './no-such-ca.pem' } })], sandboxRun(sb, { only: ['tls'] })));
    expect(r['tls.handshake']).toMatchObject({ status: 'fail', details: { reason: 'ca-unreadable' } });
  });

  test('encryption: ssl on a port that greets in plain text', async () => {
    const r = byId(await runChecks([sandboxProfile(sb, sb.smtp.starttls, 'ssl')], sandboxRun(sb)));
    expect(r['tls.handshake']).toMatchObject({ status: 'fail', details: { reason: 'plain-port' } });
    expect(r['smtp.greeting']).toMatchObject({ status: 'skip', details: { reason: 'stopped' } });
  });

  test('encryption: starttls on an implicit-TLS port times out at the greeting with a hint', async () => {
    const r = byId(await runChecks([sandboxProfile(sb, sb.smtp.ssl, 'starttls')], sandboxRun(sb, { timeoutMs: 300, only: ['greeting'] })));
    expect(r['smtp.greeting']).toMatchObject({ status: 'fail', details: { reason: 'timeout-implicit' } });
    expect(r['smtp.greeting']!.hint).toContain('encryption: ssl');
  });
});

describe('smtp.auth', () => {
  test('a wrong password fails with the reply code', async () => {
    const r = byId(await runChecks([sandboxProfile(sb, sb.smtp.ssl, 'ssl')], sandboxRun(sb, { env: { SANDBOX_PASSWORD: 'wrong' }, only: ['auth'] })));
    expect(r['smtp.auth']).toMatchObject({ status: 'fail', details: { reason: 'rejected', code: 535 } });
  });

  test('a missing secret skips the login and names the variable', async () => {
    const before = sb.sessions.length;
    const r = byId(await runChecks([sandboxProfile(sb, sb.smtp.ssl, 'ssl')], sandboxRun(sb, { env: {}, only: ['auth'] })));
    await settle();
    expect(r['smtp.auth']).toMatchObject({ status: 'skip', details: { reason: 'no-secret' } });
    expect(r['smtp.auth']!.message).toContain('SANDBOX_PASSWORD');
    expect(sb.sessions.slice(before).flatMap((s) => s.commands)).not.toContain('AUTH');
  });

  test('cleartext login is skipped unless the cleartext-auth rule is off', async () => {
    const before = sb.sessions.length;
    const r = byId(await runChecks([sandboxProfile(sb, sb.smtp.plain, 'none')], sandboxRun(sb, { allowCleartextAuth: () => false, only: ['auth'] })));
    await settle();
    expect(r['smtp.auth']).toMatchObject({ status: 'skip', details: { reason: 'cleartext' } });
    expect(sb.sessions.slice(before).flatMap((s) => s.commands)).not.toContain('AUTH');
  });

  test('xoauth2 with an access token, login and cram-md5 pass', async () => {
    const token = new Secret({ kind: 'env', name: 'SANDBOX_PASSWORD' });
    const user = sb.users[0]!.username;
    const profiles = [
      sandboxProfile(sb, sb.smtp.ssl, 'ssl', { name: 'x', auth: { method: 'xoauth2', user, accessToken: token } }),
      sandboxProfile(sb, sb.smtp.ssl, 'ssl', { name: 'l', auth: { method: 'login', username: user, password: token } }),
      sandboxProfile(sb, sb.smtp.ssl, 'ssl', { name: 'c', auth: { method: 'cram-md5', username: user, password: token } }),
    ];
    const r = await runChecks(profiles, sandboxRun(sb, { only: ['auth'] }));
    for (const p of ['x', 'l', 'c']) expect(byId(r, p)['smtp.auth']?.status, p).toBe('pass');
  });

  test('xoauth2 with a refresh token at an http: tokenUrl: refused before any request (SPEC §7)', async () => {
    // the refresh grant posts the client secret and the refresh token: never over http
    const { createServer } = await import('node:http');
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end('{"error":"invalid_request"}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const tokenUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/token`;
    const env = (name: string) => new Secret({ kind: 'env', name });
    const oauth = (name: string, refreshVar: string): Profile =>
      sandboxProfile(sb, sb.smtp.ssl, 'ssl', {
        name,
        auth: { method: 'xoauth2', user: sb.users[0]!.username, clientId: 'cid', clientSecret: env('CLIENT_SECRET'), refreshToken: env(refreshVar), tokenUrl },
      });
    try {
      const r = await runChecks(
        [oauth('good', 'GOOD_REFRESH'), oauth('bad', 'BAD_REFRESH')],
        sandboxRun(sb, { env: { CLIENT_SECRET: 'cs', GOOD_REFRESH: 'good-refresh', BAD_REFRESH: 'revoked' }, only: ['auth'] }),
      );
      for (const p of ['good', 'bad']) {
        expect(byId(r, p)['smtp.auth'], p).toMatchObject({ status: 'fail', details: { reason: 'token' } });
        expect(byId(r, p)['smtp.auth']!.message).toContain('https:');
      }
      expect(seen).toEqual([]);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  test('reply-535 at a preset provider names its fix', async () => {
    const fault = await sb.startFault('reply-535');
    const r = await runChecks(
      [
        sandboxProfile(sb, fault, 'ssl', { name: 'gmail', preset: 'gmail' }),
        sandboxProfile(sb, fault, 'ssl', { name: 'o365', preset: 'office365' }),
        sandboxProfile(sb, fault, 'ssl', { name: 'own' }),
      ],
      sandboxRun(sb, { only: ['auth'] }),
    );
    expect(byId(r, 'gmail')['smtp.auth']).toMatchObject({ status: 'fail', details: { reason: 'rejected', enhanced: '5.7.8' } });
    expect(byId(r, 'gmail')['smtp.auth']!.hint).toMatch(/app password/);
    expect(byId(r, 'o365')['smtp.auth']!.hint).toMatch(/xoauth2/);
    expect(byId(r, 'own')['smtp.auth']!.hint).toMatch(/auth\.username/);
  });
});

describe('smtp.envelope', () => {
  test('only with --rcpt; without a login the server refuses MAIL FROM', async () => {
    const none = byId(await runChecks([sandboxProfile(sb, sb.smtp.ssl, 'ssl')], sandboxRun(sb)));
    expect(none['smtp.envelope']).toBeUndefined();
    const anon = sandboxProfile(sb, sb.smtp.ssl, 'ssl', { auth: { method: 'none' } });
    const r = byId(await runChecks([anon], sandboxRun(sb, { rcpt: 'x@example.org' })));
    expect(r['smtp.envelope']).toMatchObject({ status: 'fail', details: { reason: 'mail-rejected' } });
  });
});

describe('smtp.connect', () => {
  test('a closed port is refused', async () => {
    const { createServer } = await import('node:net');
    const server = createServer();
    await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
    const port = (server.address() as { port: number }).port;
    await new Promise<void>((res) => server.close(() => res()));
    const r = byId(await runChecks([sandboxProfile(sb, { host: '127.0.0.1', port }, 'starttls')], sandboxRun(sb)));
    expect(r['smtp.connect']).toMatchObject({ status: 'fail', details: { reason: 'refused' } });
    expect(reasonOf(r['smtp.greeting'])).toBe('prerequisite');
    expect(r['smtp.auth']?.status).toBe('skip');
  });
});
