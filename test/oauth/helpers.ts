// A real OAuth2 authorization server for the tests: oidc-provider on loopback over HTTPS with a CA
// generated at test time, plus a minimal "browser" that follows its redirects and submits its
// forms (login, consent, device code confirmation) as a user would.
import { createServer, type Server } from 'node:https';
import { request } from 'node:https';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateCerts } from '../../src/sandbox/certs.ts';

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

interface Answer {
  status: number;
  location?: string;
  body: string;
  cookies: string[];
}

function send(url: string, caPem: string, method: 'GET' | 'POST', cookie: string, form?: Record<string, string>): Promise<Answer> {
  const u = new URL(url);
  const body = form ? new URLSearchParams(form).toString() : undefined;
  const headers: Record<string, string> = { ...(cookie ? { cookie } : {}), ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) };
  return new Promise((resolve, reject) => {
    const done = (res: import('node:http').IncomingMessage): void => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const loc = res.headers.location;
        resolve({ status: res.statusCode ?? 0, ...(loc ? { location: new URL(loc, url).toString() } : {}), body: Buffer.concat(chunks).toString('utf8'), cookies: res.headers['set-cookie'] ?? [] });
      });
    };
    const req = u.protocol === 'https:' ? request(u, { method, headers, ca: caPem, agent: false }, done) : httpRequest(u, { method, headers, agent: false }, done);
    req.setTimeout(10_000, () => req.destroy(new Error('browser: timeout')));
    req.on('error', reject);
    req.end(body);
  });
}

const attr = (tag: string, name: string): string | undefined => new RegExp(`\\b${name}="([^"]*)"`).exec(tag)?.[1]?.replace(/&amp;/g, '&');

/**
 * Opens `url` and acts as the user: follows redirects (keeping cookies), signs in as `login`, and
 * submits each form (consent, device confirmation) until a page without a form or a redirect
 * off the authorization server. Returns the last answer. Bounded to 30 steps.
 */
export async function actAsUser(url: string, caPem: string, login: string, options: { deny?: boolean } = {}): Promise<Answer> {
  const jar = new Map<string, string>();
  let next: { url: string; method: 'GET' | 'POST'; form?: Record<string, string> } = { url, method: 'GET' };
  const origin = new URL(url).origin;
  for (let step = 0; step < 30; step++) {
    const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const a = await send(next.url, caPem, next.method, cookie, next.form);
    for (const c of a.cookies) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      const value = pair!.slice(eq + 1);
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(c)) jar.delete(pair!.slice(0, eq));
      else jar.set(pair!.slice(0, eq), value);
    }
    if (a.location) {
      if (new URL(a.location).origin !== origin) return send(a.location, caPem, 'GET', '');
      next = { url: a.location, method: 'GET' };
      continue;
    }
    const formTag = /<form\b[^>]*>/i.exec(a.body)?.[0];
    if (!formTag) return a;
    const inner = a.body.slice(a.body.indexOf(formTag), a.body.indexOf('</form>', a.body.indexOf(formTag)));
    const form: Record<string, string> = {};
    for (const m of inner.matchAll(/<input\b[^>]*>/gi)) {
      const name = attr(m[0], 'name');
      if (name) form[name] = attr(m[0], 'value') ?? '';
    }
    // the empty user code page: the device request is finished (or was aborted) here
    if ('user_code' in form && form.user_code === '') return a;
    if ('login' in form) form.login = login;
    if ('password' in form) form.password = 'any';
    if (options.deny && 'confirm' in form) {
      delete form.confirm;
      form.abort = 'yes';
    }
    next = { url: new URL(attr(formTag, 'action') ?? next.url, next.url).toString(), method: 'POST', form };
  }
  throw new Error('browser: too many steps');
}
