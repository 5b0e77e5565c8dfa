/** The AUTH step of a session (RFC 4954): the mechanisms offered, and each mechanism's exchange. */
import { base64, cramMd5Response, plainResponse, xoauth2Response, type SessionCredentials } from './smtp-auth.ts';
import type { Conversation } from './smtp-conversation.ts';
import type { AuthRecord } from './smtp-transcript.ts';
import type { SmtpReply } from './smtp-wire.ts';

export function authMechanisms(ext: Record<string, string>): string[] {
  const list = ext.AUTH ?? '';
  return list
    .split(/\s+/)
    .filter(Boolean)
    .map((m) => m.toUpperCase());
}

export async function authStep(
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
