/**
 * The SMTP session state machine: connect → (TLS) → greeting → EHLO → (STARTTLS → EHLO) →
 * AUTH → (MAIL/RCPT, RSET) → QUIT, over one connection. The transcript types are in
 * smtp-transcript.ts, the socket in smtp-conversation.ts, the SASL steps in smtp-sasl.ts.
 */
import { hostname } from 'node:os';
import { Conversation, failureOf, sinceMs } from './smtp-conversation.ts';
import { saslName } from './smtp-auth.ts';
import { authMechanisms, authStep } from './smtp-sasl.ts';
import { parseExtensions } from './smtp-wire.ts';
import { describeTlsError, type TlsVia } from './tls-errors.ts';
import type { AuthSkipReason, EhloRecord, SessionStep, SmtpSessionOptions, SmtpTranscript, StepFailure } from './smtp-transcript.ts';
import type { TlsClientSettings } from './tls-inspect.ts';

export type * from './smtp-transcript.ts';
export type { SmtpReply } from './smtp-wire.ts';
export type { SessionCredentials } from './smtp-auth.ts';

/** @default the machine's FQDN, else the address literal RFC 5321 §4.1.4 allows. */
export function defaultEhloName(): string {
  const h = hostname();
  return h.includes('.') ? h : '[127.0.0.1]';
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
