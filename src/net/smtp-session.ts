import { hostname } from 'node:os';
import * as net from 'node:net';
import * as tls from 'node:tls';
import type { Encryption } from '../types.ts';
import {
  base64,
  cramMd5Response,
  plainResponse,
  saslName,
  xoauth2Response,
  type SessionCredentials,
} from './smtp-auth.ts';
import { ReplyReader, WireError, assertSafeCommand, parseExtensions, type SmtpReply, type WireFailureKind } from './smtp-wire.ts';
import { inspectTls, tlsConnectOptions, type TlsClientSettings, type TlsInspection } from './tls-inspect.ts';
import { describeTlsError, type TlsVia } from './tls-errors.ts';

export type { SmtpReply } from './smtp-wire.ts';
export type { SessionCredentials } from './smtp-auth.ts';

/** Per-step time limits in milliseconds. */
export interface SessionTimeouts {
  connect: number;
  greeting: number;
  /** every command reply and the TLS handshake */
  command: number;
}

export interface SmtpSessionOptions {
  host: string;
  port: number;
  encryption: Encryption;
  /** addresses to connect to, in order (already resolved); the host name when absent */
  addresses?: string[];
  /** the EHLO name; defaults to this machine's FQDN or `[127.0.0.1]` */
  ehloName?: string;
  /** TLS settings, or a function giving them when the handshake starts (reading `tls.ca` can wait until then) */
  tls?: TlsClientSettings | (() => TlsClientSettings);
  /** `tls.verify` of the profile: when true (default), no credentials go to an untrusted server */
  verify?: boolean;
  /** AUTH is attempted only when given */
  auth?: SessionCredentials;
  /** credentials may cross an unencrypted link (`encryption: none` and `cleartext-auth` off) */
  allowCleartextAuth?: boolean;
  /** MAIL FROM / RCPT TO then RSET, no DATA */
  envelope?: { from: string; to: string };
  timeouts: SessionTimeouts;
  /** the run's deadline: aborting destroys the socket at once */
  signal?: AbortSignal;
  now?: Date;
  /** longest server line accepted */
  maxLineLength?: number;
  /** called as each step's record lands in the transcript (checks evaluate steps as they finish) */
  onStep?: (step: SessionStep, transcript: SmtpTranscript) => void;
}

/** Why a step failed: the wire's reason, a refused connection, a TLS error, or a negative reply. */
export interface StepFailure {
  kind: WireFailureKind | 'refused' | 'unreachable' | 'dns' | 'tls' | 'reply';
  message: string;
  /** socket or TLS error code */
  code?: string;
}

export interface StepRecord {
  ok: boolean;
  durationMs: number;
  reply?: SmtpReply;
  failure?: StepFailure;
}

export interface EhloRecord extends StepRecord {
  /** EHLO keywords (upper-case) → parameters */
  extensions: Record<string, string>;
}

export interface TlsRecord extends StepRecord {
  via: 'implicit' | 'starttls';
  inspection?: TlsInspection;
}

export interface StarttlsRecord extends StepRecord {
  offered: boolean;
  /** bytes the server sent after its 220 and before the handshake (discarded, RFC 3207 §6) */
  discardedBytes?: number;
}

/** Why AUTH was not sent. */
export type AuthSkipReason = 'cleartext' | 'untrusted-tls' | 'not-offered' | 'no-auth' | 'secret' | 'token';

export interface AuthRecord extends StepRecord {
  mechanism: string;
  /** mechanisms the server advertised after TLS */
  offered: string[];
  attempted: boolean;
  skipped?: AuthSkipReason;
  /** the secret or token problem, naming the variable or file, never a value */
  skipMessage?: string;
}

export interface EnvelopeRecord extends StepRecord {
  mail?: SmtpReply;
  rcpt?: SmtpReply;
}

export type SessionStep = 'connect' | 'tls' | 'greeting' | 'ehlo' | 'starttls' | 'auth' | 'envelope';

/** Everything one SMTP connection established, for the checks to evaluate. */
export interface SmtpTranscript {
  host: string;
  port: number;
  encryption: Encryption;
  /** remote address the connection reached */
  address?: string;
  connect: StepRecord;
  tls?: TlsRecord;
  greeting?: StepRecord;
  /** EHLO before STARTTLS (starttls profiles only) */
  ehloPlain?: EhloRecord;
  /** the EHLO whose extensions apply to AUTH (after TLS when there is TLS) */
  ehlo?: EhloRecord;
  starttls?: StarttlsRecord;
  auth?: AuthRecord;
  envelope?: EnvelopeRecord;
  /** the conversation with credentials replaced by `[redacted]` */
  log: string[];
  /** the step that ended the session early */
  stoppedAt?: SessionStep;
  aborted: boolean;
}

/** @default the machine's FQDN, else the address literal RFC 5321 §4.1.4 allows. */
export function defaultEhloName(): string {
  const h = hostname();
  return h.includes('.') ? h : '[127.0.0.1]';
}

class Aborted extends Error {}

function failureOf(err: unknown): StepFailure {
  if (err instanceof WireError) return { kind: err.kind, message: err.message, ...(err.code ? { code: err.code } : {}) };
  if (err instanceof Aborted) return { kind: 'aborted', message: 'the run was aborted' };
  const e = err as NodeJS.ErrnoException;
  const code = e?.code;
  const message = e instanceof Error ? e.message : String(err);
  if (code === 'ECONNREFUSED') return { kind: 'refused', message, code };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { kind: 'dns', message, code };
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return { kind: 'unreachable', message, code };
  return { kind: 'socket', message, ...(code ? { code } : {}) };
}

function sinceMs(start: bigint): number {
  return Number((process.hrtime.bigint() - start) / 1_000_000n);
}

/** One SMTP conversation. Every wait is bounded by a step timeout and by the abort signal. */
class Conversation {
  socket: net.Socket | undefined;
  readonly reader: ReplyReader;
  readonly log: string[] = [];
  /** bytes dropped at the last TLS upgrade */
  discarded = 0;
  /** set after a timeout or protocol error: QUIT would only wait again */
  broken = false;
  private abortListener: (() => void) | undefined;

  constructor(
    readonly options: SmtpSessionOptions,
    maxLine: number,
  ) {
    this.reader = new ReplyReader(maxLine);
    const signal = options.signal;
    if (signal) {
      this.abortListener = () => {
        this.reader.fail(new WireError('aborted', 'the run was aborted'));
        this.socket?.destroy();
      };
      signal.addEventListener('abort', this.abortListener, { once: true });
    }
  }

  checkAborted(): void {
    if (this.options.signal?.aborted) throw new Aborted();
  }

  async connect(addresses: string[], port: number, timeoutMs: number): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let last: unknown;
    for (const address of addresses) {
      this.checkAborted();
      const remaining = deadline - Date.now();
      if (remaining <= 0) break;
      try {
        this.socket = await this.connectOne(address, port, remaining);
        return address;
      } catch (err) {
        last = err;
        if (err instanceof WireError && (err.kind === 'timeout' || err.kind === 'aborted')) throw err;
      }
    }
    throw last ?? new WireError('timeout', `no connection within ${timeoutMs} ms`);
  }

  private connectOne(address: string, port: number, timeoutMs: number): Promise<net.Socket> {
    return new Promise<net.Socket>((resolve, reject) => {
      const socket = net.connect({ host: address, port, noDelay: true });
      this.socket = socket;
      const cleanup = (): void => {
        clearTimeout(timer);
        socket.off('connect', onConnect);
        socket.off('error', onError);
        this.options.signal?.removeEventListener('abort', onAbort);
      };
      const onConnect = (): void => {
        cleanup();
        // errors of the raw socket surface through the reader or the TLS socket on top of it
        socket.on('error', () => undefined);
        resolve(socket);
      };
      const onError = (err: Error): void => {
        cleanup();
        socket.destroy();
        reject(err);
      };
      const onAbort = (): void => {
        cleanup();
        socket.destroy();
        reject(new WireError('aborted', 'the run was aborted'));
      };
      const timer = setTimeout(() => {
        cleanup();
        socket.destroy();
        reject(new WireError('timeout', `no TCP connection to ${address}:${port} within ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once('connect', onConnect);
      socket.once('error', onError);
      this.options.signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /**
   * Starts TLS over the current socket. Resolves with a function that inspects the handshake,
   * so the caller can put its next command on the wire first.
   */
  upgrade(host: string, settings: TlsClientSettings, timeoutMs: number, now: Date | undefined): Promise<() => TlsInspection> {
    const plain = this.socket;
    if (!plain) return Promise.reject(new WireError('closed', 'no connection'));
    this.discarded = this.reader.detach();
    return new Promise<() => TlsInspection>((resolve, reject) => {
      const secure = tls.connect({ socket: plain, host, ...tlsConnectOptions(host, settings) });
      this.socket = secure;
      const cleanup = (): void => {
        clearTimeout(timer);
        secure.off('secureConnect', onSecure);
        secure.off('error', onError);
        secure.off('close', onClose);
        this.options.signal?.removeEventListener('abort', onAbort);
      };
      const onSecure = (): void => {
        cleanup();
        this.reader.attach(secure);
        resolve(() => inspectTls(secure, host, settings, now));
      };
      const onError = (err: NodeJS.ErrnoException): void => {
        cleanup();
        secure.destroy();
        reject(Object.assign(new Error(err.message), { code: err.code ?? 'ETLS' }));
      };
      const onClose = (): void => {
        cleanup();
        reject(new WireError('closed', 'the server closed the connection during the TLS handshake'));
      };
      const onAbort = (): void => {
        cleanup();
        secure.destroy();
        reject(new WireError('aborted', 'the run was aborted'));
      };
      const timer = setTimeout(() => {
        cleanup();
        secure.destroy();
        reject(new WireError('timeout', `TLS handshake did not complete within ${timeoutMs} ms`));
      }, timeoutMs);
      secure.once('secureConnect', onSecure);
      secure.once('error', onError);
      secure.once('close', onClose);
      this.options.signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  read(timeoutMs: number, what: string): Promise<SmtpReply> {
    this.checkAborted();
    return this.reader.read(timeoutMs, what).then((reply) => {
      for (const [i, line] of reply.lines.entries()) {
        this.log.push(`S: ${reply.code}${i === reply.lines.length - 1 ? ' ' : '-'}${line}`);
      }
      return reply;
    });
  }

  /** Writes one command line; `logged` replaces it in the transcript when it carries credentials. */
  async command(line: string, timeoutMs: number, logged = line): Promise<SmtpReply> {
    this.checkAborted();
    const socket = this.socket;
    if (!socket || socket.destroyed) throw new WireError('closed', 'the connection is closed');
    assertSafeCommand(line, logged.split(' ')[0] || 'a command');
    this.log.push(`C: ${logged}`);
    socket.write(`${line}\r\n`);
    return this.read(timeoutMs, logged.split(' ')[0] ?? logged);
  }

  /**
   * QUIT without waiting for the 221 (nothing depends on it), then end the socket; it is
   * destroyed at the latest after `timeoutMs`, and at once after a failure or an abort.
   */
  close(timeoutMs: number): void {
    if (this.abortListener) this.options.signal?.removeEventListener('abort', this.abortListener);
    const socket = this.socket;
    this.reader.detach();
    if (!socket || socket.destroyed) return;
    if (this.broken || !socket.writable || this.options.signal?.aborted) {
      socket.destroy();
      return;
    }
    this.log.push('C: QUIT');
    socket.on('error', () => undefined);
    socket.end('QUIT\r\n');
    const timer = setTimeout(() => socket.destroy(), Math.min(timeoutMs, 2000));
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
    // the reply is read and dropped so the server can close first
    socket.resume();
  }
}

function authMechanisms(ext: Record<string, string>): string[] {
  const list = ext.AUTH ?? '';
  return list
    .split(/\s+/)
    .filter(Boolean)
    .map((m) => m.toUpperCase());
}

/**
 * Runs one SMTP session: connect → (implicit TLS) → greeting → EHLO → (STARTTLS → TLS → EHLO) →
 * AUTH → (MAIL/RCPT, RSET) → QUIT, over a single connection, and returns what it established.
 * Never throws for a network or server problem: the transcript says where and why it stopped.
 * Credentials are written only to an encrypted link (or `encryption: none` with
 * `allowCleartextAuth`), and never to a TLS peer whose certificate failed verification unless
 * the profile turned verification off.
 */
export async function runSmtpSession(options: SmtpSessionOptions): Promise<SmtpTranscript> {
  const t: SmtpTranscript = {
    host: options.host,
    port: options.port,
    encryption: options.encryption,
    connect: { ok: false, durationMs: 0 },
    log: [],
    aborted: false,
  };
  const conv = new Conversation(options, options.maxLineLength ?? 4096);
  const { timeouts } = options;
  const tlsSettings = (): TlsClientSettings => (typeof options.tls === 'function' ? options.tls() : (options.tls ?? {}));
  const ehloName = options.ehloName ?? defaultEhloName();
  let step: SessionStep = 'connect';
  let started = process.hrtime.bigint();

  const stop = (s: SessionStep): SmtpTranscript => {
    t.stoppedAt = s;
    return t;
  };
  const mark = (s: SessionStep): void => {
    try {
      options.onStep?.(s, t);
    } catch {
      // an observer must not break the session
    }
  };

  try {
    // 1. TCP
    try {
      t.address = await conv.connect(options.addresses?.length ? options.addresses : [options.host], options.port, timeouts.connect);
      t.connect = { ok: true, durationMs: sinceMs(started) };
      mark('connect');
    } catch (err) {
      conv.broken = true;
      t.connect = { ok: false, durationMs: sinceMs(started), failure: failureOf(err) };
      if (t.connect.failure?.kind === 'aborted') t.aborted = true;
      return stop('connect');
    }

    // 2. implicit TLS (RFC 8314 §3.3)
    if (options.encryption === 'ssl') {
      step = 'tls';
      started = process.hrtime.bigint();
      try {
        const inspect = await conv.upgrade(options.host, tlsSettings(), timeouts.command, options.now);
        t.tls = { ok: true, via: 'implicit', durationMs: sinceMs(started), inspection: inspect() };
        mark('tls');
      } catch (err) {
        conv.broken = true;
        t.tls = { ok: false, via: 'implicit', durationMs: sinceMs(started), failure: tlsFailure(err, 'implicit') };
        return stop('tls');
      }
    } else {
      conv.reader.attach(conv.socket!);
    }

    // 3. greeting
    step = 'greeting';
    started = process.hrtime.bigint();
    const greeting = await conv.read(timeouts.greeting, 'the greeting');
    t.greeting = { ok: greeting.code === 220, durationMs: sinceMs(started), reply: greeting };
    if (greeting.code !== 220) {
      t.greeting.failure = { kind: 'reply', message: greeting.text };
      return stop('greeting');
    }
    mark('greeting');

    // 4. EHLO
    step = 'ehlo';
    let ehlo = await ehloStep(conv, ehloName, timeouts.command);
    if (options.encryption === 'starttls') t.ehloPlain = ehlo;
    else t.ehlo = ehlo;
    if (!ehlo.ok) return stop('ehlo');
    mark('ehlo');

    // 5. STARTTLS (RFC 3207)
    if (options.encryption === 'starttls') {
      step = 'starttls';
      started = process.hrtime.bigint();
      const offered = 'STARTTLS' in ehlo.extensions;
      if (!offered) {
        // never fall back to plaintext: no AUTH, no MAIL on this connection
        t.starttls = { ok: false, offered: false, durationMs: 0, failure: { kind: 'reply', message: 'STARTTLS is not offered' } };
        return stop('starttls');
      }
      const reply = await conv.command('STARTTLS', timeouts.command);
      t.starttls = { ok: reply.code === 220, offered: true, durationMs: sinceMs(started), reply };
      if (reply.code !== 220) {
        t.starttls.failure = { kind: 'reply', message: reply.text };
        return stop('starttls');
      }
      step = 'tls';
      started = process.hrtime.bigint();
      try {
        const inspect = await conv.upgrade(options.host, tlsSettings(), timeouts.command, options.now);
        const tlsMs = sinceMs(started);
        // EHLO goes on the wire first; the certificate is inspected while the server answers
        step = 'ehlo';
        const next = ehloStep(conv, ehloName, timeouts.command);
        next.catch(() => undefined); // awaited below; this only keeps an early failure handled
        t.tls = { ok: true, via: 'starttls', durationMs: tlsMs, inspection: inspect() };
        if (conv.discarded) t.starttls.discardedBytes = conv.discarded;
        mark('starttls');
        mark('tls');
        ehlo = await next;
      } catch (err) {
        conv.broken = true;
        if (step === 'ehlo') throw err;
        t.tls = { ok: false, via: 'starttls', durationMs: sinceMs(started), failure: tlsFailure(err, 'starttls') };
        return stop('tls');
      }
      t.ehlo = ehlo;
      if (!ehlo.ok) return stop('ehlo');
    }

    const secure = t.tls?.ok === true;
    const trusted = secure && t.tls?.inspection?.chainTrusted === true && t.tls.inspection.nameMatches && !t.tls.inspection.expired;
    let authenticated = true;

    // 6. AUTH (RFC 4954)
    if (options.auth) {
      step = 'auth';
      started = process.hrtime.bigint();
      const mechanism = saslName(options.auth.method);
      const offered = authMechanisms(ehlo.extensions);
      const base = { mechanism, offered, attempted: false, ok: false, durationMs: 0 };
      let skipped: AuthSkipReason | undefined;
      if (!secure && !(options.encryption === 'none' && options.allowCleartextAuth)) skipped = 'cleartext';
      else if (secure && !trusted && options.verify !== false) skipped = 'untrusted-tls';
      else if (!('AUTH' in ehlo.extensions)) skipped = 'no-auth';
      else if (!offered.includes(mechanism)) skipped = 'not-offered';
      if (skipped) {
        t.auth = { ...base, skipped };
        authenticated = false;
      } else {
        t.auth = await authStep(conv, options.auth, timeouts.command, base);
        authenticated = t.auth.ok;
        t.auth.durationMs = sinceMs(started);
        if (t.auth.failure && t.auth.failure.kind !== 'reply') return stop('auth');
      }
      mark('auth');
    }

    // 7. envelope without DATA (RFC 5321 §3.3), then RSET
    if (options.envelope && authenticated) {
      step = 'envelope';
      started = process.hrtime.bigint();
      const mail = await conv.command(`MAIL FROM:<${options.envelope.from}>`, timeouts.command);
      t.envelope = { ok: false, durationMs: 0, mail };
      if (mail.code === 250) {
        const rcpt = await conv.command(`RCPT TO:<${options.envelope.to}>`, timeouts.command);
        t.envelope.rcpt = rcpt;
        t.envelope.ok = rcpt.code === 250 || rcpt.code === 251;
        if (!t.envelope.ok) t.envelope.failure = { kind: 'reply', message: rcpt.text };
      } else {
        t.envelope.failure = { kind: 'reply', message: mail.text };
      }
      t.envelope.durationMs = sinceMs(started);
      mark('envelope');
      await conv.command('RSET', timeouts.command).catch(() => undefined);
    }
    return t;
  } catch (err) {
    // a wire failure inside a step: record it on the step it interrupted
    conv.broken = true;
    const failure = failureOf(err);
    if (failure.kind === 'aborted') t.aborted = true;
    const record = { ok: false, durationMs: sinceMs(started), failure };
    switch (step) {
      case 'greeting':
        t.greeting = record;
        break;
      case 'ehlo':
        if (options.encryption === 'starttls' && !t.tls) t.ehloPlain = { ...record, extensions: {} };
        else t.ehlo = { ...record, extensions: {} };
        break;
      case 'starttls':
        t.starttls = { ...record, offered: true };
        break;
      case 'auth':
        t.auth = {
          ...record,
          mechanism: options.auth ? saslName(options.auth.method) : '',
          offered: t.ehlo ? authMechanisms(t.ehlo.extensions) : [],
          attempted: true,
        };
        break;
      case 'envelope':
        t.envelope = { ...(t.envelope ?? {}), ...record };
        break;
      default:
        break;
    }
    return stop(step);
  } finally {
    if (options.signal?.aborted) t.aborted = true;
    conv.close(timeouts.command);
    t.log = conv.log;
  }
}

function tlsFailure(err: unknown, via: TlsVia): StepFailure {
  const f = failureOf(err);
  if (f.kind !== 'socket') return f;
  // OpenSSL's own string names a source file, not the cause (issue 8, class 10)
  const info = describeTlsError(f, via);
  return { kind: 'tls', message: info.message, ...(info.code ? { code: info.code } : {}) };
}

async function ehloStep(conv: Conversation, name: string, timeoutMs: number): Promise<EhloRecord> {
  const started = process.hrtime.bigint();
  const reply = await conv.command(`EHLO ${name}`, timeoutMs);
  const ok = reply.code === 250;
  return {
    ok,
    durationMs: sinceMs(started),
    reply,
    extensions: ok ? parseExtensions(reply) : {},
    ...(ok ? {} : { failure: { kind: 'reply' as const, message: reply.text } }),
  };
}

async function authStep(
  conv: Conversation,
  creds: SessionCredentials,
  timeoutMs: number,
  base: Omit<AuthRecord, 'ok' | 'durationMs'>,
): Promise<AuthRecord> {
  const user = creds.username;
  const record = (reply: SmtpReply): AuthRecord => ({
    ...base,
    attempted: true,
    ok: reply.code === 235,
    durationMs: 0,
    reply,
    ...(reply.code === 235 ? {} : { failure: { kind: 'reply' as const, message: reply.text } }),
  });
  const secretOrSkip = (get: (() => string) | undefined): string | AuthRecord => {
    try {
      if (!get) throw new Error('no password is configured');
      return get();
    } catch (err) {
      return { ...base, ok: false, durationMs: 0, skipped: 'secret', skipMessage: (err as Error).message };
    }
  };
  switch (creds.method) {
    case 'plain': {
      const pass = secretOrSkip(creds.password);
      if (typeof pass !== 'string') return pass;
      let reply = await conv.command(`AUTH PLAIN ${plainResponse(user, pass)}`, timeoutMs, 'AUTH PLAIN [redacted]');
      if (reply.code === 334) reply = await conv.command(plainResponse(user, pass), timeoutMs, '[redacted]');
      return record(reply);
    }
    case 'login': {
      const pass = secretOrSkip(creds.password);
      if (typeof pass !== 'string') return pass;
      // RFC 4954 §4: the username as the initial response saves a round trip. A server that
      // refuses the form (501/504) gets the classic exchange; one that asks again gets the name.
      let reply = await conv.command(`AUTH LOGIN ${base64(user)}`, timeoutMs, 'AUTH LOGIN [username]');
      if (reply.code === 501 || reply.code === 504) {
        reply = await conv.command('AUTH LOGIN', timeoutMs);
        if (reply.code !== 334) return record(reply);
        reply = await conv.command(base64(user), timeoutMs, '[username]');
      } else if (reply.code === 334 && /^user/i.test(Buffer.from(reply.lines[0] ?? '', 'base64').toString('latin1'))) {
        reply = await conv.command(base64(user), timeoutMs, '[username]');
      }
      if (reply.code !== 334) return record(reply);
      reply = await conv.command(base64(pass), timeoutMs, '[redacted]');
      return record(reply);
    }
    case 'cram-md5': {
      const pass = secretOrSkip(creds.password);
      if (typeof pass !== 'string') return pass;
      let reply = await conv.command('AUTH CRAM-MD5', timeoutMs);
      if (reply.code !== 334) return record(reply);
      reply = await conv.command(cramMd5Response(user, pass, reply.lines[0] ?? ''), timeoutMs, '[redacted]');
      return record(reply);
    }
    case 'xoauth2': {
      let token: string;
      try {
        if (!creds.accessToken) throw new Error('no access token or refresh token is configured');
        token = await creds.accessToken();
      } catch (err) {
        return { ...base, ok: false, durationMs: 0, skipped: 'token', skipMessage: (err as Error).message };
      }
      let reply = await conv.command(`AUTH XOAUTH2 ${xoauth2Response(user, token)}`, timeoutMs, 'AUTH XOAUTH2 [redacted]');
      // a 334 carries a base64 JSON error; an empty line ends the exchange (RFC 7628 §3.2.3)
      if (reply.code === 334) reply = await conv.command('', timeoutMs, '');
      return record(reply);
    }
  }
}
