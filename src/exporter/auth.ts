/**
 * Optional authentication of scrapes: a bearer token, or HTTP basic auth with the same token as
 * the password (Prometheus' `authorization` / `basic_auth` scrape settings). The token is a
 * secret reference resolved like the mail.yaml's secrets, and compared in constant time.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export interface ScrapeAuth {
  /** the expected token (bearer token, or basic-auth password) */
  token: string;
  /** when set, basic auth must name this user; bearer tokens are accepted either way */
  username?: string;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** Constant-time equality of two strings (equal-length digests, so length leaks nothing either). */
export function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

/** Whether an `Authorization` header carries the token. */
export function authorized(header: string | undefined, auth: ScrapeAuth): boolean {
  if (!header) return false;
  const m = /^(Bearer|Basic)[ \t]+(\S+)[ \t]*$/i.exec(header);
  if (!m) return false;
  const scheme = m[1]!.toLowerCase();
  const value = m[2]!;
  if (scheme === 'bearer') return sameSecret(value, auth.token);
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return false;
  const userOk = auth.username === undefined ? true : sameSecret(decoded.slice(0, colon), auth.username);
  const passOk = sameSecret(decoded.slice(colon + 1), auth.token);
  return userOk && passOk;
}

/** The `WWW-Authenticate` challenge of a 401. */
export function challenge(auth: ScrapeAuth): string {
  return auth.username !== undefined ? 'Basic realm="mailcheck exporter", charset="UTF-8"' : 'Bearer realm="mailcheck exporter"';
}
