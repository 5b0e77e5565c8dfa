/**
 * The sandbox's OAuth2 authorization server (`mailcheck sandbox --oauth`): the real oidc-provider
 * (github.com/panva/node-oidc-provider) on loopback over HTTPS with the sandbox's certificate, a
 * public client for device flow (RFC 8628) and authorization code + PKCE (RFC 7636) with refresh
 * tokens. The sandbox SMTP accepts its access tokens for XOAUTH2 (`verifyBearer`): live, with the
 * `smtp` scope, issued to that user. Device codes are approved automatically, as the sandbox's
 * first user, so the demo needs no browser. oidc-provider is imported only here, lazily.
 */
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import type { KeyCert } from './certs.ts';
import { approveAs } from './oauth-approve.ts';

export const SANDBOX_CLIENT_ID = 'mailcheck-sandbox';
export const SANDBOX_SMTP_SCOPE = 'smtp';

export interface SandboxOAuthServer {
  issuer: string;
  clientId: string;
  scopes: string[];
  tokenUrl: string;
  authorizationUrl: string;
  deviceAuthorizationUrl: string;
  /** the sandbox SMTP's check: the token is live, has the `smtp` scope and is the user's */
  verifyBearer(token: string, username: string): Promise<boolean>;
  close(): Promise<void>;
}

export interface SandboxOAuthOptions {
  host: string;
  tls: KeyCert;
  caPem: string;
  /** the account device codes are approved for */
  approveAs: string;
  /** fixed port; 0 = a random free port */
  port?: number;
  /** approve device codes automatically, as `approveAs` (oauth-approve.ts) @default false */
  autoApprove?: boolean;
  /** told when an automatic approval fails (the user can still approve in a browser) */
  onApprovalError?: (reason: string) => void;
}

interface GrantLike {
  addOIDCScope(scope: string): void;
  save(): Promise<string>;
}

interface GrantCtx {
  oidc: {
    session?: { accountId?: string };
    client: { clientId: string };
    params: { scope?: unknown };
    provider: { Grant: new (init: { clientId: string; accountId: string }) => GrantLike };
  };
}

interface ProviderLike {
  callback(): (req: unknown, res: unknown) => void;
  on(event: string, f: (...args: unknown[]) => void): void;
  AccessToken: { find(t: string): Promise<{ accountId: string; scope?: string; isExpired: boolean } | undefined> };
}

/**
 * Drops console lines from oidc-provider (`oidc-provider WARNING: …`) while any sandbox
 * authorization server runs: counted, so servers may start and stop in any order.
 */
let muted = 0;
let original: Pick<Console, 'warn' | 'info'> | undefined;
function muteOidcConsole(): () => void {
  if (muted++ === 0) {
    original = { warn: console.warn, info: console.info };
    const keep = (f: (...a: unknown[]) => void) => (...a: unknown[]) => {
      if (!(typeof a[0] === 'string' && a[0].includes('oidc-provider '))) f(...a);
    };
    console.warn = keep(original.warn);
    console.info = keep(original.info);
  }
  let done = false;
  return () => {
    if (done) return;
    done = true;
    if (--muted === 0 && original) {
      console.warn = original.warn;
      console.info = original.info;
    }
  };
}

export async function startOAuthServer(options: SandboxOAuthOptions): Promise<SandboxOAuthServer> {
  type ProviderClass = new (issuer: string, config: Record<string, unknown>) => ProviderLike;
  // untyped package, imported by name (typed above) and kept out of the CLI bundle: bundled into
  // CommonJS, its sessions were lost between two requests ("session not found"). Required from
  // the bundle (require(esm): on by default since Node.js 20.19.0, nodejs/node#55085, hence
  // `engines`), the ESM namespace arrives wrapped once more in `default`.
  const specifier = 'oidc-provider';
  // its start-up warnings (in-memory adapter, development keys, "Node.js 22") and page notices are
  // about running it in production, which the sandbox does not: kept off the sandbox's output
  const restoreConsole = muteOidcConsole();
  // whatever fails on the way (the import, the listen, the provider's set-up) gives the console back
  let server: Server | undefined;
  let provider: ProviderLike;
  let issuer: string;
  try {
    const ns = (await import(specifier)) as { default: ProviderClass | { default: ProviderClass } };
    const Provider = typeof ns.default === 'function' ? ns.default : ns.default.default;
    let handler: ((req: unknown, res: unknown) => void) | undefined;
    const srv = createServer({ key: options.tls.key, cert: options.tls.cert }, (req, res) => {
      // device authorization answers carry verification_uri_complete: approve it in the background
      if (options.autoApprove === true && req.method === 'POST' && req.url?.startsWith('/device/auth')) {
        const end = res.end.bind(res) as (...a: unknown[]) => typeof res;
        res.end = ((chunk?: unknown, ...rest: unknown[]) => {
          try {
            const text = Buffer.isBuffer(chunk) ? chunk.toString('utf8') : typeof chunk === 'string' ? chunk : '';
            const complete = (JSON.parse(text) as { verification_uri_complete?: string }).verification_uri_complete;
            if (complete) setTimeout(() => void approveAs(complete, options.caPem, options.approveAs).catch((e: unknown) => options.onApprovalError?.(e instanceof Error ? e.message : String(e))), 50).unref();
          } catch {
            // not a JSON answer (an error page): nothing to approve
          }
          return end(chunk, ...rest);
        }) as typeof res.end;
      }
      handler!(req, res);
    });
    server = srv;
    await new Promise<void>((ok, fail) => {
      srv.once('error', fail);
      srv.listen(options.port ?? 0, options.host, () => ok());
    });
    const port = (srv.address() as AddressInfo).port;
    // `localhost` (in the sandbox certificate), not the IP: oidc-provider's session cookies did not
    // survive the sign-in with an IP issuer ("session not found")
    issuer = `https://localhost:${port}`;
    provider = new Provider(issuer, {
      clients: [
        {
          client_id: SANDBOX_CLIENT_ID,
          token_endpoint_auth_method: 'none',
          application_type: 'native',
          grant_types: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'],
          response_types: ['code'],
          redirect_uris: ['http://127.0.0.1/callback'],
        },
      ],
      scopes: ['openid', 'offline_access', SANDBOX_SMTP_SCOPE],
      features: { deviceFlow: { enabled: true }, introspection: { enabled: true }, revocation: { enabled: true }, devInteractions: { enabled: true } },
      findAccount: async (_ctx: unknown, sub: string) => ({ accountId: sub, claims: async () => ({ sub }) }),
      // the sandbox consents for its user: a grant of the requested scopes, so no consent page
      loadExistingGrant: async (ctx: GrantCtx) => {
        const accountId = ctx.oidc.session?.accountId;
        if (!accountId) return undefined;
        const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId });
        grant.addOIDCScope(String(ctx.oidc.params.scope ?? ''));
        await grant.save();
        return grant;
      },
      issueRefreshToken: async (_ctx: unknown, client: { grantTypeAllowed(g: string): boolean }) => client.grantTypeAllowed('refresh_token'),
      ttl: { AccessToken: 3600, DeviceCode: 600, RefreshToken: 86400, Grant: 86400, Interaction: 600, Session: 86400 },
      pkce: { required: () => true },
      cookies: { keys: [randomBytes(24).toString('base64url')] },
    });
    provider.on('server_error', () => {});
    handler = provider.callback();
  } catch (err) {
    server?.close();
    restoreConsole();
    throw err;
  }
  const listening = server;
  return {
    issuer,
    clientId: SANDBOX_CLIENT_ID,
    scopes: [SANDBOX_SMTP_SCOPE, 'offline_access'],
    tokenUrl: `${issuer}/token`,
    authorizationUrl: `${issuer}/auth`,
    deviceAuthorizationUrl: `${issuer}/device/auth`,
    async verifyBearer(token, username) {
      const at = await provider.AccessToken.find(token);
      if (!at || at.isExpired) return false;
      return at.accountId === username && String(at.scope ?? '').split(' ').includes(SANDBOX_SMTP_SCOPE);
    },
    close: () =>
      new Promise<void>((done) => {
        listening.closeAllConnections();
        listening.close(() => done());
      }).finally(restoreConsole),
  };
}
