// A real OAuth2 authorization server for the tests: oidc-provider on loopback over HTTPS with a CA
// generated at test time, plus a minimal "browser" that follows its redirects and submits its
// forms (login, consent, device code confirmation) as a user would.
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { generateCerts } from '../../src/sandbox/certs.ts';
import { actAsUser as walk } from '../../src/sandbox/oauth-approve.ts';

export const CLIENT_ID = 'mailcheck-test';
/** a confidential client (client_secret_post), to prove the secret never shows */
export const CONFIDENTIAL_ID = 'mailcheck-confidential';
export const CLIENT_SECRET = 'cs-7f3a9c1e5b2d4f6a8c0e2b4d6f8a0c2e';
export const SMTP_SCOPE = 'smtp';

export interface AuthServer {
  issuer: string;
  caPem: string;
  tokenUrl: string;
  authorizationUrl: string;
  deviceAuthorizationUrl: string;
  /** the sandbox's verifyBearer: the token is live, has the SMTP scope and is the user's */
  verifyBearer(token: string, username: string): Promise<boolean>;
  /** revokes every token of the grant a refresh token belongs to */
  revokeRefreshToken(token: string): Promise<void>;
  close(): Promise<void>;
}

export interface AuthServerOptions {
  rotateRefreshToken?: boolean;
  /** access token lifetime in seconds @default 3600 */
  accessTokenTtl?: number;
}

export async function startAuthServer(options: AuthServerOptions = {}): Promise<AuthServer> {
  const specifier = 'oidc-provider'; // untyped package: imported by name, typed below
  const { default: Provider } = (await import(specifier)) as { default: new (issuer: string, config: Record<string, unknown>) => ProviderLike };
  const certs = await generateCerts({ domain: 'sandbox.mailcheck.test' });
  const tls = certs.get('server');
  let handler: ((req: unknown, res: unknown) => void) | undefined;
  const server: Server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => handler!(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  const issuer = `https://localhost:${port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        token_endpoint_auth_method: 'none',
        application_type: 'native',
        grant_types: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'],
        response_types: ['code'],
        redirect_uris: ['http://127.0.0.1/callback'],
      },
      {
        client_id: CONFIDENTIAL_ID,
        client_secret: CLIENT_SECRET,
        token_endpoint_auth_method: 'client_secret_post',
        application_type: 'native',
        grant_types: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'],
        response_types: ['code'],
        redirect_uris: ['http://127.0.0.1/callback'],
      },
    ],
    scopes: ['openid', 'offline_access', SMTP_SCOPE],
    features: { deviceFlow: { enabled: true }, introspection: { enabled: true }, revocation: { enabled: true }, devInteractions: { enabled: true } },
    findAccount: async (_ctx: unknown, sub: string) => ({ accountId: sub, claims: async () => ({ sub }) }),
    issueRefreshToken: async (_ctx: unknown, client: { grantTypeAllowed(g: string): boolean }) => client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: options.rotateRefreshToken ?? false,
    ttl: { AccessToken: options.accessTokenTtl ?? 3600, DeviceCode: 600, RefreshToken: 86400, Grant: 86400, Interaction: 600, Session: 86400 },
    pkce: { required: () => true },
    cookies: { keys: ['mailcheck-test-cookie-key'] },
  });
  // oidc-provider warns once about development settings; keep the test output clean
  (provider as unknown as { on(e: string, f: () => void): void }).on('server_error', () => {});
  handler = provider.callback();
  const verifyBearer = async (token: string, username: string): Promise<boolean> => {
    const at = await provider.AccessToken.find(token);
    if (!at || at.isExpired) return false;
    return at.accountId === username && String(at.scope ?? '').split(' ').includes(SMTP_SCOPE);
  };
  return {
    issuer,
    caPem: certs.caPem,
    tokenUrl: `${issuer}/token`,
    authorizationUrl: `${issuer}/auth`,
    deviceAuthorizationUrl: `${issuer}/device/auth`,
    verifyBearer,
    async revokeRefreshToken(token: string) {
      const rt = await provider.RefreshToken.find(token);
      if (rt) await provider.Grant.adapter.destroy(rt.grantId);
      if (rt) await rt.destroy();
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

interface ProviderLike {
  callback(): (req: unknown, res: unknown) => void;
  AccessToken: { find(t: string): Promise<{ accountId: string; scope?: string; isExpired: boolean } | undefined> };
  RefreshToken: { find(t: string): Promise<{ grantId: string; destroy(): Promise<void> } | undefined> };
  Grant: { adapter: { destroy(id: string): Promise<void> } };
}

/**
 * Opens `url` and acts as the user (src/sandbox/oauth-approve.ts: redirects with cookies, sign-in
 * as `login`, every form submitted, or aborted with `deny`); a redirect off the authorization
 * server (the app's loopback redirect URI) is then opened as a browser would.
 */
export async function actAsUser(url: string, caPem: string, login: string, options: { deny?: boolean } = {}): Promise<void> {
  const leftTo = await walk(url, caPem, login, options);
  if (leftTo) await (await fetch(leftTo, { signal: AbortSignal.timeout(10_000) })).text();
}
