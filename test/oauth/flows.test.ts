// The OAuth2 flows against a real authorization server (oidc-provider) over HTTPS on loopback.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserFlow } from '../../src/oauth/browser.ts';
import { deviceFlow, type DeviceCodePrompt } from '../../src/oauth/device.ts';
import { OAuthError, refreshAccessToken } from '../../src/oauth/tokens.ts';
import { actAsUser, CLIENT_ID, SMTP_SCOPE, startAuthServer, type AuthServer } from './helpers.ts';

const USER = 'sandbox@sandbox.mailcheck.test';
const quick = (_ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, 100);
    signal.addEventListener('abort', () => {
      clearTimeout(t);
      reject(signal.reason);
    }, { once: true });
  });

let as: AuthServer;
beforeAll(async () => {
  as = await startAuthServer();
});
afterAll(async () => {
  await as?.close();
});

describe('device flow (RFC 8628)', () => {
  it('polls while pending, then gets tokens once the user approves', async () => {
    let prompt: DeviceCodePrompt | undefined;
    const states: string[] = [];
    let approving: Promise<unknown> | undefined;
    const tokens = await deviceFlow({
      deviceAuthorizationUrl: as.deviceAuthorizationUrl,
      tokenUrl: as.tokenUrl,
      client: { clientId: CLIENT_ID },
      scopes: [SMTP_SCOPE, 'offline_access'],
      caPem: as.caPem,
      timeoutMs: 10_000,
      deadlineMs: 60_000,
      sleep: quick,
      onPrompt: (p) => {
        prompt = p;
      },
      onPoll: (s) => {
        states.push(s);
        // the user approves only after the client has seen "pending"
        approving ??= actAsUser(prompt!.verificationUriComplete ?? prompt!.verificationUri, as.caPem, USER);
      },
    });
    await approving;
    expect(states[0]).toBe('authorization_pending');
    expect(prompt?.userCode).toMatch(/\S/);
    expect(tokens.refreshToken).toBeTruthy();
    expect(tokens.scope?.split(' ')).toContain(SMTP_SCOPE);
    expect(await as.verifyBearer(tokens.accessToken, USER)).toBe(true);
  });

  it('access_denied when the user aborts', async () => {
    let approving: Promise<unknown> | undefined;
    const err = await deviceFlow({
      deviceAuthorizationUrl: as.deviceAuthorizationUrl,
      tokenUrl: as.tokenUrl,
      client: { clientId: CLIENT_ID },
      scopes: [SMTP_SCOPE, 'offline_access'],
      caPem: as.caPem,
      timeoutMs: 10_000,
      deadlineMs: 60_000,
      sleep: quick,
      onPrompt: (p) => {
        approving = actAsUser(p.verificationUriComplete ?? p.verificationUri, as.caPem, USER, { deny: true });
      },
    }).catch((e: unknown) => e);
    await approving;
    expect(err).toBeInstanceOf(OAuthError);
    expect((err as OAuthError).id).toBe('access_denied');
  });
});

describe('browser flow (PKCE S256, loopback redirect)', () => {
  it('signs in through the authorization URL and trades the code', async () => {
    let seen: URL | undefined;
    let browsing: Promise<unknown> | undefined;
    const tokens = await browserFlow({
      authorizationUrl: as.authorizationUrl,
      tokenUrl: as.tokenUrl,
      client: { clientId: CLIENT_ID },
      scopes: [SMTP_SCOPE, 'offline_access'],
      caPem: as.caPem,
      timeoutMs: 10_000,
      deadlineMs: 60_000,
      onAuthorizationUrl: (url) => {
        seen = new URL(url);
        browsing = actAsUser(url, as.caPem, USER);
      },
    });
    await browsing;
    expect(seen?.searchParams.get('code_challenge_method')).toBe('S256');
    expect(seen?.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    expect(seen?.searchParams.get('state')).toMatch(/^[\w-]{16,}$/);
    expect(tokens.refreshToken).toBeTruthy();
    expect(await as.verifyBearer(tokens.accessToken, USER)).toBe(true);
  });

  it('ignores a redirect with the wrong state and refuses http endpoints', async () => {
    await expect(
      browserFlow({
        authorizationUrl: as.authorizationUrl.replace('https:', 'http:'),
        tokenUrl: as.tokenUrl,
        client: { clientId: CLIENT_ID },
        scopes: [SMTP_SCOPE],
        timeoutMs: 1000,
        deadlineMs: 1000,
        onAuthorizationUrl: () => {},
      }),
    ).rejects.toMatchObject({ id: 'not-https' });
    const err = await browserFlow({
      authorizationUrl: as.authorizationUrl,
      tokenUrl: as.tokenUrl,
      client: { clientId: CLIENT_ID },
      scopes: [SMTP_SCOPE],
      caPem: as.caPem,
      timeoutMs: 5000,
      deadlineMs: 1500,
      onAuthorizationUrl: (url) => {
        const redirect = new URL(new URL(url).searchParams.get('redirect_uri')!);
        redirect.searchParams.set('code', 'forged');
        redirect.searchParams.set('state', 'not-ours');
        void fetch(redirect).then((r) => r.text());
      },
    }).catch((e: unknown) => e);
    expect((err as OAuthError).id).toBe('timeout');
  });
});

describe('refresh', () => {
  const login = async (server: AuthServer, scopes = [SMTP_SCOPE, 'offline_access']) => {
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
  };

  it('succeeds, then invalid_grant once revoked', async () => {
    const t = await login(as);
    const r = await refreshAccessToken(as.tokenUrl, { clientId: CLIENT_ID }, t.refreshToken!, { timeoutMs: 10_000, caPem: as.caPem });
    expect(await as.verifyBearer(r.accessToken, USER)).toBe(true);
    await as.revokeRefreshToken(t.refreshToken!);
    const err = await refreshAccessToken(as.tokenUrl, { clientId: CLIENT_ID }, t.refreshToken!, { timeoutMs: 10_000, caPem: as.caPem }).catch((e: unknown) => e);
    expect((err as OAuthError).id).toBe('invalid_grant');
  });

  it('refuses an http token URL without sending anything', async () => {
    const err = await refreshAccessToken(as.tokenUrl.replace('https:', 'http:'), { clientId: CLIENT_ID }, 'x'.repeat(20), { timeoutMs: 1000 }).catch((e: unknown) => e);
    expect((err as OAuthError).id).toBe('not-https');
  });

  it('rotated refresh tokens come back', async () => {
    const rot = await startAuthServer({ rotateRefreshToken: true });
    try {
      const t = await login(rot);
      const r = await refreshAccessToken(rot.tokenUrl, { clientId: CLIENT_ID }, t.refreshToken!, { timeoutMs: 10_000, caPem: rot.caPem });
      expect(r.refreshToken).toBeTruthy();
      expect(r.refreshToken).not.toBe(t.refreshToken);
    } finally {
      await rot.close();
    }
  });
});
