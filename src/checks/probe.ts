import { readBoundedText } from '../safety/fs.ts';
import { request as httpsRequest } from 'node:https';
import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { isAbsolute, resolve } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { revealSecret, type Secret, type SecretSource } from '../config/secret.ts';
import type { SessionCredentials } from '../net/smtp-auth.ts';
import { oauthSettingsOf, type OAuthSettings } from '../oauth/config.ts';
import { OAuthError, refreshAccessToken, type TokenResponse } from '../oauth/tokens.ts';
import { runSmtpSession, type SessionStep, type SmtpTranscript } from '../net/smtp-session.ts';
import { inspectTls, tlsConnectOptions, type TlsClientSettings } from '../net/tls-inspect.ts';
import type { Profile } from '../types.ts';
import { encryptionOf, portOf, senderOf, usesAuth } from '../config/profile-facts.ts';
import { literalHost, resolveHost } from './system-dns.ts';
import type { DnsLookup, HostResolution, HttpProbe, OAuthProbe, ProfileProbe } from './types.ts';

export { DEFAULT_TOKEN_URL } from '../oauth/config.ts';

/** OAuth2 options of a run. */
export interface OAuthRunOptions {
  /** an extra CA (PEM) trusted for token endpoints; @default the run's `caPem` (`--ca-file`) */
  caPem?: string;
  /**
   * called when the provider hands out a new refresh token (rotation); resolves when it is saved.
   * Without it, the rotation is only reported.
   */
  onRefreshToken?(profile: Profile, refreshToken: string): Promise<void>;
}

export interface ProbeOptions {
  /** run-wide DNS (cached) */
  dns: DnsLookup;
  /** `--resolver` was given: resolve the SMTP host through it rather than getaddrinfo */
  useResolverForHost: boolean;
  secrets: SecretSource;
  timeoutMs: number;
  /** log in (smtp.auth selected and the secret available) */
  auth: boolean;
  allowCleartextAuth: boolean;
  /** RCPT TO for smtp.envelope */
  rcpt?: string;
  signal: AbortSignal;
  now: Date;
  oauth?: OAuthRunOptions;
  /** the run's reads of `tls.ca` files by path: profiles that share a CA file read it once */
  caFiles?: Map<string, string | Error>;
}

/** The TLS client settings of a profile, with `tls.ca` read from disk (once per path in `caFiles`). */
export function tlsSettingsOf(profile: Profile, baseDir: string, caFiles?: Map<string, string | Error>): { settings: TlsClientSettings; caError?: string } {
  const settings: TlsClientSettings = {
    ...(profile.tls?.servername ? { servername: profile.tls.servername } : {}),
    ...(profile.tls?.minVersion ? { minVersion: profile.tls.minVersion } : {}),
  };
  const ca = profile.tls?.ca;
  if (!ca) return { settings };
  const path = isAbsolute(ca) ? ca : resolve(baseDir, ca);
  let read = caFiles?.get(path);
  if (read === undefined) {
    try {
      read = readBoundedText(path, { label: 'tls.ca' });
    } catch (err) {
      read = err instanceof Error ? err : new Error(String(err));
    }
    caFiles?.set(path, read);
  }
  if (typeof read !== 'string') return { settings, caError: read.message.replace(path, ca) };
  settings.caPem = read;
  return { settings };
}

/** Credentials whose values are only revealed when the session writes them. */
export function credentialsOf(
  profile: Profile,
  secrets: SecretSource,
  timeoutMs: number,
  signal?: AbortSignal,
  /** the run's one refresh (shared with the `oauth.token` check); made here when absent */
  tokens?: () => Promise<OAuthProbe>,
): SessionCredentials | undefined {
  const auth = profile.auth;
  if (!auth || auth.method === 'none') return undefined;
  const reveal = (s: Secret | undefined) => (s ? () => revealSecret(s, secrets) : undefined);
  const username = auth.method === 'xoauth2' ? (auth.user ?? auth.username ?? '') : (auth.username ?? '');
  const creds: SessionCredentials = { method: auth.method, username };
  const password = reveal(auth.password);
  if (password) creds.password = password;
  if (auth.method === 'xoauth2') {
    const { accessToken, refreshToken, clientId } = auth;
    if (accessToken) creds.accessToken = async () => revealSecret(accessToken, secrets);
    else if (refreshToken && clientId) {
      const source = tokens ?? once(() => refreshProfileToken(profile, oauthSettingsOf(profile), secrets, timeoutMs, signal));
      creds.accessToken = async () => {
        const r = await source();
        if (!r.ok) throw new Error(r.error.message);
        return r.token.accessToken;
      };
    }
  }
  return creds;
}

/**
 * Why the AUTH of a profile cannot be tried, naming the variable or file (never a value), or
 * undefined when every secret it needs resolves.
 */
export function secretProblemOf(profile: Profile, secrets: SecretSource): string | undefined {
  const auth = profile.auth;
  if (!auth || auth.method === 'none') return undefined;
  const need: Secret[] = [];
  if (auth.method === 'xoauth2') {
    if (auth.accessToken) need.push(auth.accessToken);
    else if (auth.refreshToken && auth.clientId) need.push(auth.refreshToken, ...(auth.clientSecret ? [auth.clientSecret] : []));
    else return 'xoauth2 needs auth.accessToken, or auth.refreshToken with auth.clientId (run `mailcheck oauth login`)';
  } else if (auth.password) need.push(auth.password);
  else return 'no auth.password is configured';
  for (const s of need) {
    try {
      revealSecret(s, secrets);
    } catch (err) {
      return (err as Error).message;
    }
  }
  return undefined;
}

function once<T>(fn: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () => (p ??= fn());
}

/**
 * One refresh-token grant for a profile (RFC 6749 §6), over verified TLS to an https endpoint.
 * Never throws: the failure is in the result. The tokens are registered with the redactor.
 */
export async function refreshProfileToken(
  profile: Profile,
  settings: OAuthSettings,
  secrets: SecretSource,
  timeoutMs: number,
  signal?: AbortSignal,
  oauth?: OAuthRunOptions,
): Promise<OAuthProbe> {
  const started = performance.now();
  const took = (): number => Math.round(performance.now() - started);
  const auth = profile.auth;
  try {
    if (!auth?.refreshToken || !auth.clientId) throw new OAuthError('invalid_request', 'no auth.refreshToken and auth.clientId to refresh with');
    const refreshToken = revealSecret(auth.refreshToken, secrets);
    const token: TokenResponse = await refreshAccessToken(
      settings.tokenUrl,
      { clientId: auth.clientId, ...(auth.clientSecret ? { clientSecret: revealSecret(auth.clientSecret, secrets) } : {}) },
      refreshToken,
      { timeoutMs, ...(signal ? { signal } : {}), ...(oauth?.caPem ? { caPem: oauth.caPem } : {}) },
    );
    const rotated = token.refreshToken !== undefined && token.refreshToken !== refreshToken;
    let saved: boolean | string = false;
    if (rotated && oauth?.onRefreshToken) {
      try {
        await oauth.onRefreshToken(profile, token.refreshToken!);
        saved = true;
      } catch (err) {
        saved = err instanceof Error ? err.message : String(err);
      }
    }
    return { ok: true, token, tokenUrl: settings.tokenUrl, rotated, saved, durationMs: took() };
  } catch (err) {
    const error = err instanceof OAuthError ? err : new OAuthError('network', err instanceof Error ? err.message : String(err));
    return { ok: false, error, tokenUrl: settings.tokenUrl, durationMs: took() };
  }
}

/** The probe of one profile: DNS via the run's cache, one SMTP session, one HTTP request. */
export function createProbe(profile: Profile, options: ProbeOptions): ProfileProbe {
  // tls.ca is read when the first handshake needs it, not before the connection opens
  let tlsResolved: { settings: TlsClientSettings; caError?: string } | undefined;
  const tls = (): { settings: TlsClientSettings; caError?: string } => (tlsResolved ??= tlsSettingsOf(profile, options.secrets.baseDir, options.caFiles));
  const timeouts = {
    connect: profile.timeouts?.connect ?? options.timeoutMs,
    greeting: profile.timeouts?.greeting ?? options.timeoutMs,
    command: profile.timeouts?.command ?? options.timeoutMs,
  };
  const host = once(() =>
    resolveHost(profile.host ?? '', options.useResolverForHost ? options.dns : undefined, timeouts.connect),
  );
  // the session runs once; each check waits only for the step it evaluates
  let current: SmtpTranscript | undefined;
  const reached = new Set<SessionStep>();
  const waiting: { step: SessionStep; resolve(t: SmtpTranscript): void }[] = [];
  const onStep = (step: SessionStep, t: SmtpTranscript): void => {
    current = t;
    reached.add(step);
    for (const w of waiting.filter((x) => x.step === step)) w.resolve(t);
  };
  const oauth = once(() => refreshProfileToken(profile, oauthSettingsOf(profile), options.secrets, timeouts.command, options.signal, options.oauth));
  const start = (resolved: HostResolution): Promise<SmtpTranscript> => {
    const sender = senderOf(profile);
    const creds = options.auth && usesAuth(profile) ? credentialsOf(profile, options.secrets, timeouts.command, options.signal, oauth) : undefined;
    return runSmtpSession({
      host: profile.host ?? '',
      port: portOf(profile),
      encryption: encryptionOf(profile),
      ...(resolved.addresses.length ? { addresses: resolved.addresses } : {}),
      ...(profile.ehlo ? { ehloName: profile.ehlo } : {}),
      tls: () => tls().settings,
      verify: profile.tls?.verify !== false,
      ...(creds ? { auth: creds } : {}),
      allowCleartextAuth: options.allowCleartextAuth,
      ...(options.rcpt && sender ? { envelope: { from: sender, to: options.rcpt } } : {}),
      timeouts,
      signal: options.signal,
      now: options.now,
      onStep,
    });
  };
  // an address literal needs no lookup: the connection starts in this very tick
  const literal = literalHost(profile.host ?? '');
  const session = once((): Promise<SmtpTranscript> => (literal ? start(literal) : host().then(start)));
  const smtp = (until?: SessionStep): Promise<SmtpTranscript> => {
    const whole = session();
    if (!until) return whole;
    if (reached.has(until) && current) return Promise.resolve(current);
    return new Promise<SmtpTranscript>((resolve) => {
      waiting.push({ step: until, resolve });
      void whole.then(resolve);
    });
  };
  const http = once(() => probeHttp(profile.http?.url ?? '', tls().settings, timeouts.connect + timeouts.command, options.signal, options.now));
  return { dns: options.dns, host, smtp, http, oauth, caError: () => tls().caError };
}

/** One request to an HTTP mail endpoint: does it answer, over TLS that verifies? */
export function probeHttp(url: string, tls: TlsClientSettings, timeoutMs: number, signal: AbortSignal, now: Date): Promise<HttpProbe> {
  const started = performance.now();
  const took = (): number => Math.round(performance.now() - started);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return Promise.resolve({ url, ok: false, durationMs: 0, failure: { kind: 'url', message: 'not a URL' } });
  }
  const secure = parsed.protocol === 'https:';
  const hostname = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  return new Promise<HttpProbe>((done) => {
    let settled = false;
    let req: ClientRequest | undefined;
    const finish = (r: Omit<HttpProbe, 'url' | 'durationMs'>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      req?.destroy();
      done({ url: `${parsed.origin}${parsed.pathname}`, durationMs: took(), ...r });
    };
    const onAbort = (): void => finish({ ok: false, failure: { kind: 'aborted', message: 'the run was aborted' } });
    const timer = setTimeout(() => finish({ ok: false, failure: { kind: 'timeout', message: `no answer within ${timeoutMs} ms` } }), timeoutMs);
    signal.addEventListener('abort', onAbort, { once: true });
    const onResponse = (res: IncomingMessage): void => {
      const socket = res.socket as TLSSocket;
      const inspection = secure ? inspectTls(socket, hostname, tls, now) : undefined;
      res.resume();
      const status = res.statusCode ?? 0;
      finish({ ok: status > 0 && status < 500, status, ...(inspection ? { tls: inspection } : {}) });
    };
    try {
      req = secure
        ? httpsRequest(parsed, { method: 'GET', agent: false, ...tlsConnectOptions(hostname, tls) }, onResponse)
        : httpRequest(parsed, { method: 'GET', agent: false }, onResponse);
    } catch (err) {
      finish({ ok: false, failure: { kind: 'url', message: (err as Error).message } });
      return;
    }
    req.on('error', (err: NodeJS.ErrnoException) => {
      const code = err.code;
      const kind =
        code === 'ECONNREFUSED' ? 'refused' : code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? 'dns' : /SSL|TLS|CERT/i.test(code ?? err.message) ? 'tls' : 'socket';
      finish({ ok: false, failure: { kind, message: err.message, ...(code ? { code } : {}) } });
    });
    req.end();
  });
}
