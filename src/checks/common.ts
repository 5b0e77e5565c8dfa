import type { SmtpTranscript, StepFailure } from '../net/smtp-session.ts';
import { explainChainError, type TlsInspection } from '../net/tls-inspect.ts';
import type { CheckOutcome } from './types.ts';

/** Messages every check can end with; a check's own `messages` come first. */
export const COMMON_MESSAGES: Record<string, string> = {
  prerequisite: 'not run: {{requirement}} {{requirementStatus}}',
  stopped: 'not reached: the session ended at {{step}} ({{reason}})',
  deadline: 'skipped: the deadline was reached before this check finished',
  aborted: 'skipped: the run was aborted before this check finished',
  unsafeValue: 'not run: {{message}}',
  internal: 'the check could not run: {{message}}',
};

export { formatMessage as format } from '../format.ts';

const STEP_NAMES: Record<string, string> = {
  connect: 'TCP connect',
  tls: 'the TLS handshake',
  greeting: 'the greeting',
  ehlo: 'EHLO',
  starttls: 'STARTTLS',
  auth: 'AUTH',
  envelope: 'MAIL/RCPT',
};

/** A `skip` for a check whose step the session never reached. */
export function stopped(t: SmtpTranscript): CheckOutcome {
  const step = t.stoppedAt ?? 'connect';
  const rec = step === 'ehlo' ? (t.ehlo ?? t.ehloPlain) : (t[step] as { failure?: StepFailure } | undefined);
  return {
    status: 'skip',
    messageId: 'stopped',
    data: { step: STEP_NAMES[step] ?? step, reason: rec?.failure?.message ?? 'failed' },
  };
}

/** One line naming a wire failure: `timeout`, `ECONNREFUSED`… */
export function failureData(f: StepFailure | undefined): Record<string, string> {
  return { reason: f?.message ?? 'unknown error', kind: f?.kind ?? 'error', ...(f?.code ? { code: f.code } : {}) };
}

/** Days under which a certificate's coming expiry is a warning. */
export const EXPIRY_WARN_DAYS = 21;

/**
 * The verdict on a TLS inspection: trust, name, validity, protocol. `verify: false` downgrades
 * every failure to a warning (the user chose to accept it), never to a pass.
 */
export function tlsVerdict(
  ins: TlsInspection,
  verify: boolean,
  caError: string | undefined,
): { status: CheckOutcome['status']; messageId: string; data: Record<string, string | number> } {
  const leaf = ins.chain[0];
  const data: Record<string, string | number> = {
    protocol: ins.protocol ?? 'unknown',
    cipher: ins.cipher,
    servername: ins.servername,
    subject: leaf?.subject ?? 'no certificate',
    issuer: leaf?.issuer ?? '',
    days: ins.daysToExpiry,
    validTo: leaf?.validTo.slice(0, 10) ?? '',
  };
  const failed = (messageId: string, extra: Record<string, string | number> = {}) => ({
    status: verify ? ('fail' as const) : ('warn' as const),
    messageId,
    data: { ...data, ...extra },
  });
  if (caError && !ins.chainTrusted) return failed('ca-unreadable', { reason: caError });
  if (ins.expired) return failed('expired');
  if (ins.notYetValid) return failed('not-yet-valid');
  if (!ins.chainTrusted) return failed('untrusted', { reason: explainChainError(ins.chainError ?? 'UNABLE_TO_VERIFY') });
  if (!ins.nameMatches) return failed('wrong-name', { reason: ins.nameError ?? 'name mismatch' });
  if (ins.protocol === 'TLSv1' || ins.protocol === 'TLSv1.1') return { status: 'warn', messageId: 'old-protocol', data };
  if (ins.daysToExpiry < EXPIRY_WARN_DAYS) return { status: 'warn', messageId: 'expiring', data };
  if (!verify) return { status: 'warn', messageId: 'verify-off', data };
  return { status: 'pass', messageId: 'ok', data };
}

/** Messages of {@link tlsVerdict}, shared by tls.handshake and http.endpoint. */
export const TLS_MESSAGES: Record<string, string> = {
  ok: '{{protocol}} {{cipher}}; certificate for {{servername}} trusted, expires in {{days}} days ({{validTo}})',
  'verify-off': '{{protocol}} {{cipher}}; certificate valid, but tls.verify is false so a forged one would be accepted too',
  expired: 'the certificate of {{servername}} expired on {{validTo}}',
  'not-yet-valid': 'the certificate of {{servername}} is not valid yet',
  untrusted: 'the certificate of {{servername}} is not trusted: {{reason}} (issuer {{issuer}})',
  'wrong-name': 'the certificate does not name {{servername}}: {{reason}}',
  'ca-unreadable': 'the certificate is not trusted and {{reason}}',
  'old-protocol': 'negotiated {{protocol}}, which is obsolete (RFC 8996); the server should offer TLSv1.2 or later',
  expiring: 'the certificate of {{servername}} expires in {{days}} days ({{validTo}})',
};

export const TLS_HINTS: Record<string, string> = {
  expired: 'the server operator must renew the certificate; until then clients that verify (the default) refuse it',
  untrusted: 'for a private CA, point tls.ca at its PEM file; a self-signed server needs its certificate in tls.ca',
  'wrong-name': 'connect with the name the certificate carries (host), or set tls.servername to it',
  'ca-unreadable': 'check the tls.ca path: it is relative to the mail.yaml',
  expiring: 'renew the certificate before it expires',
};
