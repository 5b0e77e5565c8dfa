import { rootCertificates } from 'node:tls';
import { interpolateProfile, wireFields, wireProblem } from './config/interpolate.ts';
import { redact, registerSecret } from './safety/redact.ts';
import { revealSecret, SecretError, type Secret } from './config/secret.ts';
import { MailcheckError } from './errors.ts';
import { DEFAULT_TOKEN_URL, tlsSettingsOf } from './checks/probe.ts';
import { encryptionOf, portOf, senderOf } from './config/profile-facts.ts';
import { addressProblem } from './config/address.ts';
import { clampDuration } from './config/duration.ts';
import { assertHttpsTokenUrl } from './net/smtp-auth.ts';
import type { Profile } from './types.ts';
import { VERSION } from './version.ts';

export interface SendOptions {
  /** the recipient of the test message */
  to: string;
  /** @default `mailcheck test message (<profile>)` */
  subject?: string;
  /** where secrets and `${VAR}` resolve from */
  env: Record<string, string | undefined>;
  /** folder of the mail.yaml (`tls.ca`, `{ file: }` secrets) */
  baseDir: string;
  /** per-step timeout (connect, greeting, each command) unless the profile sets its own */
  timeoutMs: number;
  /** credentials may cross an unencrypted link (`encryption: none` and the `cleartext-auth` rule off) @default false */
  allowCleartextAuth?: boolean;
  /**
   * The whole send, from the first DNS question to the last reply: at this point the connection
   * is destroyed, however busy the server keeps it (the step timeouts reset on every byte).
   * @default 60000
   */
  deadlineMs?: number;
  /** aborts the send at once (the connection is destroyed) */
  signal?: AbortSignal;
}

/** @default 60 s: the whole of `send` when no deadline is given */
export const DEFAULT_SEND_DEADLINE_MS = 60_000;

export interface SendResult {
  accepted: string[];
  rejected: string[];
  /** the server's final reply, e.g. `250 2.0.0 OK queued as 4Xy…` */
  response: string;
  messageId: string;
  envelope: { from: string; to: string[] };
}

/**
 * A message that did not go out: the server's reply when there was one, never a secret.
 * `code` is `E_SEND`; `smtpCode`/`response`/`command` tell where it stopped.
 */
export class SendError extends MailcheckError {
  constructor(
    message: string,
    hint: string | undefined,
    /** nodemailer's error code: EAUTH, ECONNECTION, ETIMEDOUT, EENVELOPE, ETLS… */
    readonly reason: string,
    readonly response?: string,
    readonly smtpCode?: number,
    readonly command?: string,
  ) {
    super('E_SEND', message, hint);
    this.name = 'SendError';
  }
}

interface NodemailerFailure {
  code?: string;
  message?: string;
  response?: string;
  responseCode?: number;
  command?: string;
}

const HINTS: Record<string, string> = {
  EAUTH: 'the login was refused: run `mailcheck check --only auth` for a provider-specific hint',
  ETIMEDOUT: 'no answer in time: run `mailcheck check` to see which step hangs',
  ECONNECTION: 'the connection failed: run `mailcheck check` to see which step fails',
  ESOCKET: 'the connection failed: run `mailcheck check` to see which step fails',
  ETLS: 'TLS failed: run `mailcheck check --only tls` for the certificate details',
  EENVELOPE: 'the server refused the sender or the recipient',
  EMESSAGE: 'the server refused the message',
  EDNS: 'the host does not resolve: run `mailcheck check --only dns`',
};

/**
 * Text with every secret hidden in any encoding (the process-wide redactor: the value, base64 at
 * any alignment so the PLAIN and XOAUTH2 blobs too, URL and JSON escaping). `secrets` are
 * registered first, for callers whose values did not come through `revealSecret`.
 */
export function scrub(text: string, secrets: readonly string[], _username?: string): string {
  for (const s of secrets) registerSecret(s);
  return redact(text);
}

/**
 * Sends one real test message with the profile's settings (the "send test email" button of
 * every app) and returns the server's reply. Throws {@link SendError} when the server or the
 * network refuses, {@link MailcheckError} `E_SECRET` when a secret is missing.
 */
export async function sendTest(raw: Profile, options: SendOptions): Promise<SendResult> {
  if (raw.transport !== 'smtp') {
    throw new MailcheckError('E_USAGE', `profile "${raw.name}" uses transport ${raw.transport}; send supports smtp profiles`);
  }
  // SPEC §7: the recipient and the subject become SMTP commands and headers; never a second line
  const toProblem = /[\r\n\0]/.test(options.to) ? 'contains a line break or NUL' : addressProblem(options.to);
  if (toProblem) throw new MailcheckError('E_USAGE', `the recipient is not an email address: it ${toProblem.replace(/ "[^"]*"/g, '')}`);
  if (options.subject !== undefined && /[\r\n\0]/.test(options.subject)) throw new MailcheckError('E_USAGE', 'the subject must be one line (no CR, LF or NUL)');
  const profile = interpolateProfile(raw, options.env);
  // nodemailer writes these into commands and headers: refuse a line break even in a literal
  // (an API caller may skip lint); the field is named, the value is not
  for (const f of wireFields(profile)) {
    const problem = f.value === undefined ? undefined : wireProblem(f.value, f.kind);
    if (problem?.reason === 'break') throw new MailcheckError('E_UNSAFE_VALUE', `profile "${profile.name}": ${f.field} ${problem.text}`, 'keep the value on one line');
  }
  const encryption = encryptionOf(profile);
  const source = { env: options.env, baseDir: options.baseDir };
  const revealed: string[] = [];
  const reveal = (s: Secret): string => {
    try {
      const v = revealSecret(s, source);
      revealed.push(v);
      return v;
    } catch (err) {
      if (err instanceof SecretError) throw new MailcheckError('E_SECRET', err.message, err.hint);
      throw err;
    }
  };
  const a = profile.auth;
  const method = a?.method ?? 'none';
  if (method !== 'none' && encryption === 'none' && !options.allowCleartextAuth) {
    throw new SendError(
      `profile "${profile.name}" would send its credentials over an unencrypted connection`,
      'use encryption: starttls or ssl; for a trusted local relay only, turn the cleartext-auth rule off',
      'ECLEARTEXT',
    );
  }
  const username = (method === 'xoauth2' ? (a?.user ?? a?.username) : a?.username) ?? '';
  let auth: Record<string, unknown> | undefined;
  if (a && method === 'xoauth2') {
    const tokenUrl = a.tokenUrl ?? DEFAULT_TOKEN_URL;
    if (a.refreshToken && !a.accessToken) {
      try {
        assertHttpsTokenUrl(tokenUrl);
      } catch (err) {
        throw new MailcheckError('E_UNSAFE_VALUE', `profile "${profile.name}": ${(err as Error).message}`, 'use the provider\'s https:// token endpoint');
      }
    }
    auth = {
      type: 'OAuth2',
      user: username,
      ...(a.clientId ? { clientId: a.clientId } : {}),
      ...(a.clientSecret ? { clientSecret: reveal(a.clientSecret) } : {}),
      ...(a.refreshToken ? { refreshToken: reveal(a.refreshToken) } : {}),
      ...(a.accessToken ? { accessToken: reveal(a.accessToken) } : {}),
      accessUrl: tokenUrl,
    };
  } else if (a && method !== 'none') {
    if (!a.password) throw new MailcheckError('E_SECRET', `profile "${profile.name}" has no auth.password`);
    auth = { user: username, pass: reveal(a.password) };
  }
  const { settings, caError } = tlsSettingsOf(profile, options.baseDir);
  if (caError) throw new MailcheckError('E_READ', caError, 'tls.ca is relative to the mail.yaml');
  const verify = profile.tls?.verify !== false;
  const from = senderOf(profile);
  if (!from) throw new MailcheckError('E_USAGE', `profile "${profile.name}" has no from.address`);

  const nodemailer = await import('nodemailer');
  const transport = nodemailer.createTransport({
    host: profile.host ?? '',
    port: portOf(profile),
    secure: encryption === 'ssl',
    requireTLS: encryption === 'starttls',
    ignoreTLS: encryption === 'none',
    ...(profile.ehlo ? { name: profile.ehlo } : {}),
    ...(auth ? { auth } : {}),
    ...(auth && method !== 'xoauth2' ? { authMethod: method.toUpperCase() } : {}),
    tls: {
      rejectUnauthorized: verify,
      ...(settings.servername ? { servername: settings.servername } : {}),
      ...(settings.minVersion ? { minVersion: settings.minVersion } : {}),
      ...(settings.caPem ? { ca: [settings.caPem, ...rootCertificates] } : {}),
    },
    connectionTimeout: profile.timeouts?.connect ?? clampDuration(options.timeoutMs),
    greetingTimeout: profile.timeouts?.greeting ?? clampDuration(options.timeoutMs),
    socketTimeout: profile.timeouts?.command ?? clampDuration(options.timeoutMs),
    // at the deadline the socket is destroyed, not ended politely while the server drips on
    socketCloseTimeout: 0,
    disableFileAccess: true,
    disableUrlAccess: true,
    logger: false,
    debug: false,
  } as Parameters<typeof nodemailer.createTransport>[0]);
  // nodemailer refreshes the OAuth2 access token itself: the new token is a secret too (SPEC §7)
  (transport as unknown as { on(event: 'token', cb: (t: { accessToken?: string }) => void): void }).on('token', (t) => registerSecret(t.accessToken));

  const charset = profile.charset;
  if (charset && !/^utf-?8$/i.test(charset)) {
    // the body is ASCII, so it is valid in any ASCII-compatible charset the app declares
    transport.use('stream', (mail, done) => {
      const node = mail.message as unknown as { setHeader(k: string, v: string): void; childNodes?: unknown[] };
      if (!node.childNodes || node.childNodes.length === 0) node.setHeader('Content-Type', `text/plain; charset=${charset}`);
      done();
    });
  }
  const subject = options.subject ?? `mailcheck test message (${profile.name})`;
  const text = [
    `This is a test message sent by mailcheck ${VERSION} with the profile "${profile.name}"`,
    `(${profile.host}:${portOf(profile)}, encryption: ${encryption}) at ${new Date().toISOString()}.`,
    '',
    'If you can read it, these settings deliver mail.',
    '',
  ].join('\n');
  // clamped to 1 ms … 24 h: beyond 2^31−1 ms Node would fire the timer at once (SPEC §7)
  const deadlineMs = clampDuration(options.deadlineMs ?? DEFAULT_SEND_DEADLINE_MS);
  const controller = new AbortController();
  const deadline = setTimeout(() => controller.abort(), deadlineMs);
  const onOuterAbort = (): void => controller.abort();
  if (options.signal?.aborted) controller.abort();
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  const deadlineReached = (): boolean => controller.signal.aborted && !options.signal?.aborted;
  try {
    const info = (await transport.sendMail({
      // nodemailer ≥ 9 cancels the send on this signal and tears the connection down
      ...({ signal: controller.signal } as Record<string, unknown>),
      from: profile.from?.name ? { name: profile.from.name, address: from } : from,
      to: options.to,
      subject,
      text,
      ...(profile.replyTo ? { replyTo: profile.replyTo } : {}),
      ...(profile.bcc.length ? { bcc: profile.bcc } : {}),
      headers: { 'X-Mailer': `mailcheck ${VERSION}` },
    })) as { accepted?: unknown[]; rejected?: unknown[]; response?: string; messageId?: string; envelope?: { from?: string | false; to?: string[] } };
    const addr = (x: unknown): string => (typeof x === 'string' ? x : ((x as { address?: string })?.address ?? String(x)));
    return {
      accepted: (info.accepted ?? []).map(addr),
      rejected: (info.rejected ?? []).map(addr),
      response: scrub(info.response ?? '', revealed, username),
      messageId: info.messageId ?? '',
      envelope: { from: info.envelope?.from || from, to: info.envelope?.to ?? [options.to] },
    };
  } catch (err) {
    if (controller.signal.aborted) {
      const why = deadlineReached() ? `the deadline of ${deadlineMs} ms was reached` : 'the send was aborted';
      throw new SendError(`the message was not sent: ${why}`, 'raise --deadline, or run `mailcheck check` to see which step is slow', deadlineReached() ? 'EDEADLINE' : 'EABORT');
    }
    const e = err as NodemailerFailure;
    const code = e.code ?? 'ESEND';
    const response = e.response ? scrub(e.response, revealed, username) : undefined;
    const what = scrub(response ?? e.message ?? String(err), revealed, username);
    throw new SendError(`the message was not sent: ${what}`, HINTS[code], code, response, e.responseCode, e.command === undefined ? undefined : redact(e.command));
  } finally {
    clearTimeout(deadline);
    options.signal?.removeEventListener('abort', onOuterAbort);
    transport.close();
  }
}
