/**
 * Authorization code flow with PKCE (RFC 7636, S256) and a loopback redirect (RFC 8252 §7.3):
 * listen on 127.0.0.1 on an ephemeral port, send the user's browser to the authorization URL,
 * take the one redirect whose `state` matches, and trade its code for tokens.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { registerSecret } from '../safety/redact.ts';
import { isHttpsUrl } from './config.ts';
import { exchangeCode, OAuthError, classifyOAuthError, type ClientCredentials, type HttpOptions, type TokenResponse } from './tokens.ts';

export interface BrowserFlowOptions extends HttpOptions {
  authorizationUrl: string;
  tokenUrl: string;
  client: ClientCredentials;
  scopes: string[];
  /** extra authorization parameters (Google: access_type=offline) */
  params?: Record<string, string>;
  /** login_hint: the mailbox, so the provider picks the right account */
  loginHint?: string;
  /** called with the URL to open; returns whether a browser was started */
  onAuthorizationUrl(url: string): void;
  /** the command that opens a URL (`$BROWSER`); none: the URL is only shown */
  browser?: string;
  deadlineMs: number;
}

const b64url = (b: Buffer): string => b.toString('base64url');

/** RFC 7636 §4.1-4.2: a verifier (43+ characters) and its S256 challenge. */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = b64url(randomBytes(32));
  return { verifier, challenge: b64url(createHash('sha256').update(verifier).digest()) };
}

const PAGE = (text: string): string =>
  `<!doctype html><meta charset="utf-8"><title>mailcheck</title><p>${text.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`)}</p>`;

/** Starts `$BROWSER URL` without a shell; failures are ignored (the URL is printed anyway). */
function openBrowser(command: string, url: string): void {
  try {
    const child = spawn(command, [url], { stdio: 'ignore', detached: true });
    child.on('error', () => {});
    child.unref();
  } catch {
    // the URL is on the screen
  }
}

/** Runs the browser flow to its end: tokens, or an {@link OAuthError}. */
export async function browserFlow(options: BrowserFlowOptions): Promise<TokenResponse> {
  if (!isHttpsUrl(options.authorizationUrl)) throw new OAuthError('not-https', 'the authorization endpoint is not https');
  if (!isHttpsUrl(options.tokenUrl)) throw new OAuthError('not-https', 'the token endpoint is not https');
  const { verifier, challenge } = pkcePair();
  const state = b64url(randomBytes(16));
  registerSecret(verifier);
  const deadline = AbortSignal.any([AbortSignal.timeout(options.deadlineMs), ...(options.signal ? [options.signal] : [])]);

  let server: Server | undefined;
  try {
    const got = new Promise<{ code: string } | { error: string; description?: string }>((resolve, reject) => {
      server = createServer((req, res) => {
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        if (url.pathname !== '/callback') {
          res.writeHead(404).end();
          return;
        }
        // a redirect without our state is not ours (RFC 6749 §10.12): ignore it, keep waiting
        if (url.searchParams.get('state') !== state) {
          res.writeHead(400, { 'content-type': 'text/html' }).end(PAGE('This sign-in does not belong to the running mailcheck (state mismatch).'));
          return;
        }
        const code = url.searchParams.get('code');
        const error = url.searchParams.get('error');
        res.writeHead(200, { 'content-type': 'text/html', connection: 'close' }).end(
          PAGE(code ? 'Signed in. You can close this window and return to mailcheck.' : 'The sign-in did not complete. Return to mailcheck.'),
        );
        if (code) {
          registerSecret(code);
          resolve({ code });
        } else resolve({ error: error ?? 'invalid_request', ...(url.searchParams.get('error_description') ? { description: url.searchParams.get('error_description')! } : {}) });
      });
      server.on('error', reject);
      deadline.addEventListener('abort', () => reject(new OAuthError('timeout', 'the deadline passed before the sign-in finished')), { once: true });
    });
    await new Promise<void>((resolve, reject) => {
      server!.once('error', reject);
      server!.listen(0, '127.0.0.1', () => resolve());
    });
    const port = (server!.address() as AddressInfo).port;
    const redirectUri = `http://127.0.0.1:${port}/callback`;
    const auth = new URL(options.authorizationUrl);
    const params: Record<string, string> = {
      response_type: 'code',
      client_id: options.client.clientId,
      redirect_uri: redirectUri,
      scope: options.scopes.join(' '),
      state,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      // a refresh token is only handed out with fresh consent at some providers (OIDC §11)
      prompt: 'consent',
      ...(options.loginHint ? { login_hint: options.loginHint } : {}),
      ...(options.params ?? {}),
    };
    for (const [k, v] of Object.entries(params)) auth.searchParams.set(k, v);
    const url = auth.toString();
    options.onAuthorizationUrl(url);
    if (options.browser) openBrowser(options.browser, url);
    const answer = await got;
    if ('error' in answer) {
      const { id, aadsts } = classifyOAuthError(answer.error, answer.description);
      throw new OAuthError(id, `the sign-in was refused: ${answer.error.slice(0, 100)}${answer.description ? ` (${answer.description.split(/\r?\n/)[0]!.slice(0, 300)})` : ''}`, answer.error, aadsts);
    }
    return await exchangeCode(options.tokenUrl, options.client, answer.code, verifier, redirectUri, {
      timeoutMs: options.timeoutMs,
      signal: deadline,
      ...(options.caPem ? { caPem: options.caPem } : {}),
    });
  } finally {
    server?.closeAllConnections();
    server?.close();
  }
}
