import { createHmac } from 'node:crypto';
import type { AuthMethod } from '../types.ts';

/**
 * Credentials for one AUTH exchange. Values are functions so the secret is unwrapped only when
 * the line is written to the (encrypted) socket, and never kept by the session.
 */
export interface SessionCredentials {
  method: Exclude<AuthMethod, 'none'>;
  username: string;
  /** password (login, plain, cram-md5) */
  password?: () => string;
  /** OAuth2 bearer token (xoauth2); may fetch it with a refresh token */
  accessToken?: () => Promise<string>;
}

/** The SASL mechanism name a profile's `auth.method` maps to (RFC 4954, RFC 4616, RFC 2195). */
export function saslName(method: SessionCredentials['method']): string {
  switch (method) {
    case 'login':
      return 'LOGIN';
    case 'plain':
      return 'PLAIN';
    case 'cram-md5':
      return 'CRAM-MD5';
    case 'xoauth2':
      return 'XOAUTH2';
  }
}

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

/** One client step of a SASL exchange: what to send, and what the transcript shows instead. */
export interface AuthStep {
  line: string;
  logged: string;
}

/** PLAIN initial response (RFC 4616): `\0user\0password`. */
export function plainResponse(username: string, password: string): string {
  return b64(`\0${username}\0${password}`);
}

/** CRAM-MD5 response (RFC 2195): `user hex(hmac-md5(password, challenge))`. */
export function cramMd5Response(username: string, password: string, challengeB64: string): string {
  const challenge = Buffer.from(challengeB64.trim(), 'base64');
  const digest = createHmac('md5', password).update(challenge).digest('hex');
  return b64(`${username} ${digest}`);
}

/** XOAUTH2 initial response (Google/Microsoft SASL XOAUTH2). */
export function xoauth2Response(username: string, token: string): string {
  return b64(`user=${username}\x01auth=Bearer ${token}\x01\x01`);
}

export { b64 as base64 };

/** Options of the OAuth2 refresh-token grant (RFC 6749 §6). */
export interface RefreshGrant {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

/**
 * Throws unless `url` is an `https:` URL: the refresh grant posts the client secret and the
 * refresh token, which must never cross the network in clear (SPEC §7, RFC 6749 §3.2 "MUST
 * require the use of TLS"). The message names the field, not the URL (it may embed a key).
 */
export function assertHttpsTokenUrl(url: string): void {
  let protocol: string | undefined;
  try {
    protocol = new URL(url).protocol;
  } catch {
    protocol = undefined;
  }
  if (protocol !== 'https:') {
    throw new Error(`auth.tokenUrl is not an https: URL; the client secret and refresh token are not sent over ${protocol ?? 'a malformed URL'}`);
  }
}

/** Trades a refresh token for an access token. Errors name the endpoint's status, never a secret. */
export async function fetchAccessToken(grant: RefreshGrant): Promise<string> {
  assertHttpsTokenUrl(grant.tokenUrl);
  const body = new URLSearchParams({
    grant_type: 'refresh_token',
    client_id: grant.clientId,
    client_secret: grant.clientSecret,
    refresh_token: grant.refreshToken,
  });
  const signals = [AbortSignal.timeout(grant.timeoutMs), ...(grant.signal ? [grant.signal] : [])];
  const res = await fetch(grant.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
    signal: AbortSignal.any(signals),
  });
  const data = (await res.json().catch(() => ({}))) as { access_token?: unknown; error?: unknown };
  if (!res.ok || typeof data.access_token !== 'string') {
    const reason = typeof data.error === 'string' ? data.error : `HTTP ${res.status}`;
    throw new Error(`the token endpoint refused the refresh token (${reason})`);
  }
  return data.access_token;
}
