/**
 * What one SMTP session established, step by step: the transcript every online check evaluates
 * (src/checks/). Plain data; the session that fills it is smtp-session.ts.
 */
import type { Encryption } from '../types.ts';
import type { SessionCredentials } from './smtp-auth.ts';
import type { SmtpReply, WireFailureKind } from './smtp-wire.ts';
import type { TlsClientSettings, TlsInspection } from './tls-inspect.ts';

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
