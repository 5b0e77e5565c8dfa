/**
 * Talking to OAuth2 token endpoints (RFC 6749 §5, RFC 8628 §3.4): one form POST over verified
 * TLS, a bounded JSON answer, and provider errors turned into stable ids with a fix. Every token
 * that comes back is registered with the redactor before anything else sees it (SPEC §7).
 */
import { request } from 'node:https';
import { rootCertificates } from 'node:tls';
import { registerSecret } from '../safety/redact.ts';
import { isHttpsUrl } from './config.ts';

/** Largest token endpoint answer read (a token response is a few KiB). */
const MAX_BODY = 256 * 1024;

export interface HttpOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** an extra CA (PEM) trusted for the OAuth2 endpoints, beside the system's and NODE_EXTRA_CA_CERTS */
  caPem?: string;
}

export interface TokenResponse {
  accessToken: string;
  refreshToken?: string;
  /** space-separated, as granted; absent when the server did not say (then it is the scope asked) */
  scope?: string;
  expiresIn?: number;
  tokenType?: string;
}

/**
 * Stable ids of OAuth2 failures. `invalid_grant` is split by the AADSTS code when Microsoft
 * sends one, because the fix differs.
 */
export type OAuthErrorId =
  | 'not-https'
  | 'network'
  | 'timeout'
  | 'http'
  | 'invalid-response'
  | 'invalid_grant'
  | 'invalid_client'
  | 'invalid_scope'
  | 'unauthorized_client'
  | 'invalid_request'
  | 'unsupported_grant_type'
  | 'access_denied'
  | 'expired_token'
  | 'consent-required'
  | 'user-tenant-mismatch'
  | 'token-expired'
  | 'token-revoked'
  | 'mfa-required'
  | 'client-secret-expired'
  | 'provider-error';

/** Fixes by error id (the `oauth.token` check's hints and `oauth login`'s errors share them). */
export const OAUTH_HINTS: Record<OAuthErrorId, string> = {
  'not-https': 'OAuth2 endpoints must be https:// URLs (SPEC §7): fix auth.tokenUrl / authorizationUrl / deviceAuthorizationUrl',
  network: 'the token endpoint cannot be reached: check the URL, the network and --resolver',
  timeout: 'the token endpoint did not answer in time: retry, or raise --timeout',
  http: 'the token endpoint answered with an HTTP error and no OAuth2 error: check auth.tokenUrl',
  'invalid-response': 'the token endpoint did not answer with a token: check that auth.tokenUrl is the provider\'s token endpoint',
  invalid_grant: 'the refresh token is expired, revoked or was issued to another client: run `mailcheck oauth login` again',
  invalid_client: 'the provider does not know this client or its secret: check auth.clientId and auth.clientSecret (and that the app registration allows public-client flows if it has no secret)',
  invalid_scope: 'the provider refused the scopes: check auth.scopes, and that the app registration lists the SMTP permission',
  unauthorized_client: 'this client may not use this grant: enable the flow (public client / device code flow) in the app registration',
  invalid_request: 'the provider refused the request as malformed: check auth.tenant, auth.clientId and the endpoints',
  unsupported_grant_type: 'the endpoint does not support this grant: check auth.tokenUrl',
  access_denied: 'the sign-in was declined: run `mailcheck oauth login` again and approve the request',
  expired_token: 'the device code expired before the sign-in finished: run `mailcheck oauth login` again and sign in within the time shown',
  'consent-required': 'the user or an admin has not consented to the SMTP permission: grant consent for the app (admin consent in Entra ID for Microsoft 365), then run `mailcheck oauth login` again',
  'user-tenant-mismatch': 'the account is not in the tenant the endpoints name: set auth.tenant to the account\'s tenant (or `organizations`; `consumers` for Outlook.com accounts)',
  'token-expired': 'the refresh token has expired (inactivity or maximum age): run `mailcheck oauth login` again',
  'token-revoked': 'the refresh token was revoked (password change, admin or user revocation): run `mailcheck oauth login` again',
  'mfa-required': 'the tenant now requires multi-factor sign-in for this app: run `mailcheck oauth login` again to sign in interactively',
  'client-secret-expired': 'the client secret has expired: create a new one in the app registration and update auth.clientSecret',
  'provider-error': 'the provider refused the request: see its error description',
};

/** Microsoft Entra error codes (AADSTSnnnnn) that say more than the OAuth2 error. */
const AADSTS: Record<string, OAuthErrorId> = {
  '65001': 'consent-required',
  '65004': 'consent-required',
  '90094': 'consent-required',
  '50020': 'user-tenant-mismatch',
  '500200': 'user-tenant-mismatch',
  '700016': 'invalid_client',
  '90002': 'invalid_request',
  '70008': 'token-expired',
  '700082': 'token-expired',
  '50173': 'token-revoked',
  '50076': 'mfa-required',
  '50079': 'mfa-required',
  '7000222': 'client-secret-expired',
  '7000215': 'invalid_client',
  '7000218': 'invalid_client',
  '70000': 'invalid_grant',
  '70011': 'invalid_scope',
  '70016': 'invalid_grant',
};

/** An OAuth2 failure: `id` is stable, `error`/`description` are the provider's words. */
export class OAuthError extends Error {
  override readonly name = 'OAuthError';
  constructor(
    readonly id: OAuthErrorId,
    message: string,
    /** the provider's `error` value, if any */
    readonly error?: string,
    /** AADSTS code, if any */
    readonly aadsts?: string,
  ) {
    super(message);
  }

  get hint(): string {
    return OAUTH_HINTS[this.id];
  }
}

/** The error id for a provider's error response. */
export function classifyOAuthError(error: string, description: string | undefined): { id: OAuthErrorId; aadsts?: string } {
  const aad = /\bAADSTS(\d{5,7})\b/.exec(description ?? '')?.[1];
  if (aad && AADSTS[aad]) return { id: AADSTS[aad], aadsts: aad };
  const known: OAuthErrorId[] = ['invalid_grant', 'invalid_client', 'invalid_scope', 'unauthorized_client', 'invalid_request', 'unsupported_grant_type', 'access_denied', 'expired_token'];
  // Microsoft's device flow says authorization_declined where RFC 8628 says access_denied
  const name = error === 'authorization_declined' ? 'access_denied' : error;
  const id = (known as string[]).includes(name) ? (name as OAuthErrorId) : 'provider-error';
  return aad ? { id, aadsts: aad } : { id };
}

/** A one-line, bounded version of the provider's error text (it is outside text). */
function short(text: string | undefined): string {
  return (text ?? '').split(/\r?\n/)[0]!.slice(0, 300);
}

/** POSTs a form to an https endpoint and returns the status and parsed JSON body. */
export function postForm(url: string, form: Record<string, string>, options: HttpOptions): Promise<{ status: number; body: Record<string, unknown> }> {
  if (!isHttpsUrl(url)) {
    return Promise.reject(new OAuthError('not-https', `refusing to send OAuth2 credentials to ${short(url.replace(/[?#].*$/, ''))}: not https`));
  }
  const body = new URLSearchParams(form).toString();
  const signals = [AbortSignal.timeout(options.timeoutMs), ...(options.signal ? [options.signal] : [])];
  const signal = AbortSignal.any(signals);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent: false,
        signal,
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', 'content-length': Buffer.byteLength(body) },
        ...(options.caPem ? { ca: [...rootCertificates, options.caPem] } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > MAX_BODY) {
            req.destroy(new Error('answer too large'));
            return;
          }
          chunks.push(c);
        });
        res.on('end', () => {
          let parsed: unknown;
          try {
            parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          } catch {
            parsed = {};
          }
          const obj = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
          // tokens are secrets from the moment they arrive
          for (const k of ['access_token', 'refresh_token', 'id_token', 'device_code']) {
            if (typeof obj[k] === 'string') registerSecret(obj[k]);
          }
          resolve({ status: res.statusCode ?? 0, body: obj });
        });
        res.on('error', (err) => reject(err));
      },
    );
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (signal.aborted && signal.reason instanceof DOMException && signal.reason.name === 'TimeoutError') {
        reject(new OAuthError('timeout', `${short(new URL(url).origin)} did not answer within ${options.timeoutMs} ms`));
      } else if (signal.aborted) {
        reject(new OAuthError('network', 'the run was aborted'));
      } else {
        reject(new OAuthError('network', `${new URL(url).origin} cannot be reached: ${short(err.code ?? err.message)}`));
      }
    });
    req.end(body);
  });
}

/** Turns a token endpoint answer into tokens, or throws the provider's error. */
export function tokenResponseOf(status: number, body: Record<string, unknown>, endpoint: string): TokenResponse {
  if (typeof body.error === 'string') {
    const description = typeof body.error_description === 'string' ? body.error_description : undefined;
    const { id, aadsts } = classifyOAuthError(body.error, description);
    const text = short(description);
    throw new OAuthError(id, `the token endpoint refused: ${short(body.error)}${text ? ` (${text})` : ''}`, body.error, aadsts);
  }
  if (status < 200 || status > 299) throw new OAuthError('http', `the token endpoint ${endpoint} answered HTTP ${status}`);
  if (typeof body.access_token !== 'string' || body.access_token === '') {
    throw new OAuthError('invalid-response', `the token endpoint ${endpoint} answered without an access_token`);
  }
  return {
    accessToken: body.access_token,
    ...(typeof body.refresh_token === 'string' && body.refresh_token ? { refreshToken: body.refresh_token } : {}),
    ...(typeof body.scope === 'string' ? { scope: body.scope } : {}),
    ...(typeof body.expires_in === 'number' || typeof body.expires_in === 'string' ? { expiresIn: Number(body.expires_in) } : {}),
    ...(typeof body.token_type === 'string' ? { tokenType: body.token_type } : {}),
  };
}

export interface ClientCredentials {
  clientId: string;
  /** absent for a public client (device flow, PKCE) */
  clientSecret?: string;
}

const clientForm = (c: ClientCredentials): Record<string, string> => ({
  client_id: c.clientId,
  ...(c.clientSecret ? { client_secret: c.clientSecret } : {}),
});

/** RFC 6749 §6: trades a refresh token for an access token (and maybe a new refresh token). */
export async function refreshAccessToken(
  tokenUrl: string,
  client: ClientCredentials,
  refreshToken: string,
  options: HttpOptions & { scopes?: string[] },
): Promise<TokenResponse> {
  registerSecret(refreshToken);
  if (client.clientSecret) registerSecret(client.clientSecret);
  const form = { grant_type: 'refresh_token', refresh_token: refreshToken, ...clientForm(client), ...(options.scopes?.length ? { scope: options.scopes.join(' ') } : {}) };
  const { status, body } = await postForm(tokenUrl, form, options);
  return tokenResponseOf(status, body, new URL(tokenUrl).origin);
}

/** RFC 6749 §4.1.3 with RFC 7636: trades an authorization code and its PKCE verifier for tokens. */
export async function exchangeCode(
  tokenUrl: string,
  client: ClientCredentials,
  code: string,
  verifier: string,
  redirectUri: string,
  options: HttpOptions,
): Promise<TokenResponse> {
  registerSecret(code);
  registerSecret(verifier);
  const form = { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: redirectUri, ...clientForm(client) };
  const { status, body } = await postForm(tokenUrl, form, options);
  return tokenResponseOf(status, body, new URL(tokenUrl).origin);
}

export { clientForm };
