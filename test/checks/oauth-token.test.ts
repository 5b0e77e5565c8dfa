// oauth.token and smtp.auth with XOAUTH2, end to end offline: oidc-provider issues the tokens over
// HTTPS, the sandbox's SMTP accepts only bearer tokens that oidc-provider vouches for.
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runChecks } from '../../src/checks/run.ts';
import { Secret } from '../../src/config/secret.ts';
import { browserFlow } from '../../src/oauth/browser.ts';
import { storeRefreshToken } from '../../src/oauth/store.ts';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.ts';
import type { Profile } from '../../src/types.ts';
import { actAsUser, CLIENT_ID, SMTP_SCOPE, startAuthServer, type AuthServer } from '../oauth/helpers.ts';
import { byId, sandboxRun } from './helpers.ts';

const USER = 'sandbox@sandbox.mailcheck.test';
let as: AuthServer;
let rot: AuthServer;
let sb: Sandbox;
const servers = (): AuthServer[] => [as, rot];
const dir = mkdtempSync(join(tmpdir(), 'mailcheck-oauth-check-'));

async function login(server: AuthServer, scopes = [SMTP_SCOPE, 'offline_access']) {
  let browsing: Promise<unknown> | undefined;
  const t = await browserFlow({
    authorizationUrl: server.authorizationUrl,
    tokenUrl: server.tokenUrl,
    client: { clientId: CLIENT_ID },
    scopes,
    caPem: server.caPem,
    timeoutMs: 10_000,
    deadlineMs: 60_000,
    onAuthorizationUrl: (url) => {
      browsing = actAsUser(url, server.caPem, USER);
    },
  });
  await browsing;
  return t;
}

function profile(server: AuthServer, name: string, over: Partial<NonNullable<Profile['auth']>> = {}): Profile {
  return {
    name,
    transport: 'smtp',
    host: sb.smtp.ssl.host,
    port: sb.smtp.ssl.port,
    encryption: 'ssl',
    auth: {
      method: 'xoauth2',
      user: USER,
      clientId: CLIENT_ID,
      refreshToken: new Secret({ kind: 'file', path: `./${name}.rt` }),
      tokenUrl: server.tokenUrl,
      scopes: [SMTP_SCOPE, 'offline_access'],
      ...over,
    },
    from: { address: USER },
    bcc: [],
    tls: { ca: sb.caPath },
  };
}

const run = (profiles: Profile[], caPem: string, over: Parameters<typeof sandboxRun>[1] = {}) =>
  runChecks(profiles, sandboxRun(sb, { baseDir: dir, only: ['oauth.token', 'smtp.auth'], oauth: { caPem }, ...over }));

beforeAll(async () => {
  as = await startAuthServer();
  rot = await startAuthServer({ rotateRefreshToken: true });
  sb = await startSandbox({
    verifyBearer: async (token, username) => {
      for (const s of servers()) if (await s.verifyBearer(token, username)) return true;
      return false;
    },
  });
});
afterAll(async () => {
  await Promise.all([as?.close(), rot?.close(), sb?.close()]);
});

describe('oauth.token + smtp.auth (XOAUTH2)', () => {
  it('refreshes once and proves the token on the wire', async () => {
    const t = await login(as);
    writeFileSync(join(dir, 'ok.rt'), `${t.refreshToken}\n`);
    const r = byId(await run([profile(as, 'ok')], as.caPem));
    expect(r['oauth.token']).toMatchObject({ status: 'pass', messageId: 'ok' });
    expect(r['oauth.token']!.details).toMatchObject({ scope: expect.arrayContaining([SMTP_SCOPE]), rotated: false });
    expect(r['smtp.auth']).toMatchObject({ status: 'pass', messageId: 'ok' });
    const auths = sb.sessions.flatMap((s) => s.auth).filter((a) => a.method === 'xoauth2' && a.ok);
    expect(auths.length).toBeGreaterThan(0);
  });

  it("the run's one extra CA (--ca-file) is trusted for the token endpoint too", async () => {
    const t = await login(as);
    writeFileSync(join(dir, 'ca.rt'), `${t.refreshToken}\n`);
    const r = byId(await runChecks([profile(as, 'ca')], sandboxRun(sb, { baseDir: dir, only: ['oauth.token'], caPem: as.caPem })));
    expect(r['oauth.token']).toMatchObject({ status: 'pass', messageId: 'ok' });
    // and without it the provider's certificate is not trusted
    const none = byId(await runChecks([profile(as, 'ca')], sandboxRun(sb, { baseDir: dir, only: ['oauth.token'], caPem: undefined })));
    expect(none['oauth.token']!.status).toBe('fail');
  });

  it('missing SMTP scope fails oauth.token and skips smtp.auth', async () => {
    const t = await login(as, ['offline_access']);
    writeFileSync(join(dir, 'noscope.rt'), `${t.refreshToken}\n`);
    const r = byId(await run([profile(as, 'noscope')], as.caPem));
    expect(r['oauth.token']).toMatchObject({ status: 'fail', messageId: 'missing-scope', data: { required: SMTP_SCOPE } });
    expect(r['smtp.auth']).toMatchObject({ status: 'skip', messageId: 'prerequisite' });
  });

  it('a revoked refresh token is invalid_grant with its fix', async () => {
    const t = await login(as);
    writeFileSync(join(dir, 'revoked.rt'), `${t.refreshToken}\n`);
    await as.revokeRefreshToken(t.refreshToken!);
    const r = byId(await run([profile(as, 'revoked')], as.caPem));
    expect(r['oauth.token']).toMatchObject({ status: 'fail', messageId: 'refused', data: { error: 'invalid_grant' } });
    expect(r['oauth.token']!.hint).toContain('oauth login');
  });

  it('an http token URL is refused before anything is sent', async () => {
    writeFileSync(join(dir, 'cleartext.rt'), 'never-sent-token\n');
    const r = byId(await run([profile(as, 'cleartext', { tokenUrl: as.tokenUrl.replace('https:', 'http:') })], as.caPem));
    expect(r['oauth.token']).toMatchObject({ status: 'fail', messageId: 'not-https' });
    expect(r['smtp.auth']).toMatchObject({ status: 'skip', messageId: 'prerequisite' });
  });

  it('a rotated refresh token is reported, and saved when asked (0600)', async () => {
    const t = await login(rot);
    writeFileSync(join(dir, 'rot.rt'), `${t.refreshToken}\n`);
    const first = byId(await run([profile(rot, 'rot')], rot.caPem));
    expect(first['oauth.token']).toMatchObject({ status: 'pass', messageId: 'ok-rotated' });
    expect(first['smtp.auth']).toMatchObject({ status: 'pass' });
    // oidc-provider retires a rotated token at once: log in again, then save the rotation
    const t2 = await login(rot);
    writeFileSync(join(dir, 'rot.rt'), `${t2.refreshToken}\n`);
    const saved = byId(
      await run([profile(rot, 'rot')], rot.caPem, {
        oauth: {
          caPem: rot.caPem,
          onRefreshToken: async (p, token) => {
            await storeRefreshToken({ kind: 'file', path: join(dir, `${p.name}.rt`) }, token);
          },
        },
      }),
    );
    expect(saved['oauth.token']).toMatchObject({ status: 'pass', messageId: 'ok-saved' });
    const stored = readFileSync(join(dir, 'rot.rt'), 'utf8').trim();
    expect(stored).not.toBe(t2.refreshToken);
    expect(statSync(join(dir, 'rot.rt')).mode & 0o777).toBe(0o600);
    // the saved token works for the next run
    const again = byId(await run([profile(rot, 'rot')], rot.caPem));
    expect(again['oauth.token']).toMatchObject({ status: 'pass' });
  });

  it('an expired access token is refused on the wire with the XOAUTH2 hint', async () => {
    const short = await startAuthServer({ accessTokenTtl: 1 });
    try {
      const t = await login(short);
      const old = sb.sessions.length;
      // wait out the 1-second lifetime (bounded: 40 × 100 ms)
      for (let i = 0; i < 40 && (await short.verifyBearer(t.accessToken, USER)); i++) await new Promise((r) => setTimeout(r, 100));
      expect(await short.verifyBearer(t.accessToken, USER)).toBe(false);
      const p = profile(short, 'expired', { accessToken: new Secret({ kind: 'env', name: 'EXPIRED_TOKEN' }) });
      delete p.auth!.refreshToken;
      const r = byId(await run([p], short.caPem, { env: { EXPIRED_TOKEN: t.accessToken } }));
      expect(r['oauth.token']).toBeUndefined();
      expect(r['smtp.auth']).toMatchObject({ status: 'fail', messageId: 'rejected' });
      expect(r['smtp.auth']!.hint).toContain('access token');
      expect(sb.sessions.length).toBeGreaterThan(old);
    } finally {
      await short.close();
    }
  });
});
