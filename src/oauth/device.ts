/**
 * RFC 8628 device authorization grant: ask for a device code, show the user code and the URL,
 * poll the token endpoint at the server's interval until the user approves (or declines, or the
 * code expires). Needs no stdin and no browser on this machine.
 */
import { registerSecret } from '../safety/redact.ts';
import { OAuthError, postForm, tokenResponseOf, clientForm, type ClientCredentials, type HttpOptions, type TokenResponse } from './tokens.ts';

export interface DeviceCodePrompt {
  userCode: string;
  verificationUri: string;
  /** RFC 8628 §3.3.1: the URI with the code in it, when the server gives one */
  verificationUriComplete?: string;
  expiresIn: number;
  interval: number;
}

export interface DeviceFlowOptions extends HttpOptions {
  deviceAuthorizationUrl: string;
  tokenUrl: string;
  client: ClientCredentials;
  scopes: string[];
  /** called once with what the user must do */
  onPrompt(prompt: DeviceCodePrompt): void;
  /** called at each poll answer (`authorization_pending`, `slow_down`) */
  onPoll?(state: 'authorization_pending' | 'slow_down'): void;
  /** the whole flow's end (the `--deadline`) */
  deadlineMs: number;
  /** waits between polls (a test seam: the default sleeps the interval the server asked for) */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

const GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
/** RFC 8628 §3.5: the default interval and the slow_down increment, in seconds */
const DEFAULT_INTERVAL = 5;
const SLOW_DOWN = 5;
/** Most polls ever made (a 15-minute code at 1 s is 900). */
const MAX_POLLS = 2000;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(t);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Runs the device flow to its end: tokens, or an {@link OAuthError}. */
export async function deviceFlow(options: DeviceFlowOptions): Promise<TokenResponse> {
  const deadline = AbortSignal.any([AbortSignal.timeout(options.deadlineMs), ...(options.signal ? [options.signal] : [])]);
  const http = { timeoutMs: options.timeoutMs, signal: deadline, ...(options.caPem ? { caPem: options.caPem } : {}) };
  const start = await postForm(options.deviceAuthorizationUrl, { ...clientForm(options.client), scope: options.scopes.join(' ') }, http);
  const b = start.body;
  if (typeof b.error === 'string') tokenResponseOf(start.status, b, 'device authorization endpoint');
  const verificationUri = typeof b.verification_uri === 'string' ? b.verification_uri : typeof b.verification_url === 'string' ? b.verification_url : undefined;
  if (typeof b.device_code !== 'string' || typeof b.user_code !== 'string' || !verificationUri) {
    throw new OAuthError('invalid-response', `the device authorization endpoint answered HTTP ${start.status} without a device code`);
  }
  const deviceCode = b.device_code;
  registerSecret(deviceCode);
  let interval = Math.max(1, Number(b.interval) || DEFAULT_INTERVAL);
  const expiresIn = Math.max(1, Number(b.expires_in) || 900);
  options.onPrompt({
    userCode: b.user_code,
    verificationUri,
    ...(typeof b.verification_uri_complete === 'string' ? { verificationUriComplete: b.verification_uri_complete } : {}),
    expiresIn,
    interval,
  });
  const wait = options.sleep ?? sleep;
  const expiresAt = Date.now() + expiresIn * 1000;
  for (let poll = 0; poll < MAX_POLLS; poll++) {
    try {
      await wait(interval * 1000, deadline);
    } catch {
      throw new OAuthError('timeout', 'the deadline passed before the sign-in finished');
    }
    if (Date.now() > expiresAt + interval * 1000) throw new OAuthError('expired_token', 'the device code expired before the sign-in finished');
    const { status, body } = await postForm(options.tokenUrl, { grant_type: GRANT, device_code: deviceCode, ...clientForm(options.client) }, http);
    if (body.error === 'authorization_pending') {
      options.onPoll?.('authorization_pending');
      continue;
    }
    if (body.error === 'slow_down') {
      interval += SLOW_DOWN;
      options.onPoll?.('slow_down');
      continue;
    }
    return tokenResponseOf(status, body, new URL(options.tokenUrl).origin);
  }
  throw new OAuthError('expired_token', 'the device code expired before the sign-in finished');
}
