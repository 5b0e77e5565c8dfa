import { failureData, stopped } from './common.ts';
import { encryptionOf } from '../config/profile-facts.ts';
import type { Check, CheckOutcome } from './types.ts';

/** `smtp.starttls`: a `starttls` profile's server offers STARTTLS (RFC 3207); without it, no AUTH is sent. */
export const smtpStarttls: Check = {
  meta: {
    id: 'smtp.starttls',
    title: 'STARTTLS offered',
    description: 'for starttls profiles, the server offers STARTTLS; if not, fail and never send AUTH',
    outcomes: {
      pass: '(`starttls` profiles) STARTTLS offered and accepted',
      warn: 'bytes injected before the handshake',
      fail: 'not offered — and **no AUTH is sent** — or refused',
    },
    needs: ['session'],
    groups: ['smtp', 'starttls', 'tls'],
    messages: {
      ok: 'STARTTLS offered and accepted',
      'not-offered': 'the server does not offer STARTTLS after EHLO; mailcheck did not log in, because the password would cross in cleartext',
      refused: 'the server refused STARTTLS: {{reply}}',
      injected: 'the server sent {{bytes}} bytes after its STARTTLS reply and before the handshake; they were discarded (RFC 3207 §6)',
      failed: 'STARTTLS failed: {{reason}}',
    },
    hints: {
      'not-offered': 'a server on this port that hides STARTTLS is misconfigured, or something on the path strips it; try encryption: ssl on port 465',
    },
  },
  appliesTo: (p) => p.transport === 'smtp' && encryptionOf(p) === 'starttls',
  requires: () => ['smtp.greeting'],
  async run(ctx): Promise<CheckOutcome> {
    const t = await ctx.probe.smtp('tls');
    const s = t.starttls;
    if (!s) return stopped(t);
    const details = { offered: s.offered, reply: s.reply?.text ?? null };
    if (!s.offered) return { status: 'fail', messageId: 'not-offered', hintId: 'not-offered', details, durationMs: s.durationMs };
    if (s.reply && s.reply.code !== 220) return { status: 'fail', messageId: 'refused', data: { reply: s.reply.text }, details, durationMs: s.durationMs };
    if (!s.ok) return { status: 'fail', messageId: 'failed', data: failureData(s.failure), details, durationMs: s.durationMs };
    if (s.discardedBytes) return { status: 'warn', messageId: 'injected', data: { bytes: s.discardedBytes }, details, durationMs: s.durationMs };
    return { status: 'pass', messageId: 'ok', details, durationMs: s.durationMs };
  },
};
