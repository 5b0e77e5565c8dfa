import { failureData, stopped } from './common.ts';
import { encryptionOf, senderOf, usesAuth } from '../config/profile-facts.ts';
import type { Check, CheckOutcome } from './types.ts';

/** `smtp.envelope`: with `--rcpt`, MAIL FROM and RCPT TO are accepted; no message is sent (RSET). */
export const smtpEnvelope: Check = {
  meta: {
    id: 'smtp.envelope',
    title: 'MAIL FROM / RCPT TO',
    description: 'with --rcpt: MAIL FROM and RCPT TO are accepted, then RSET; no message is sent',
    outcomes: {
      pass: '(`--rcpt`) MAIL FROM and RCPT TO accepted, then RSET',
      fail: 'sender or recipient refused',
      skip: 'login not done',
    },
    needs: ['session'],
    groups: ['smtp', 'envelope', 'rcpt'],
    messages: {
      ok: 'MAIL FROM:<{{from}}> and RCPT TO:<{{to}}> accepted (no message sent)',
      'mail-rejected': 'MAIL FROM:<{{from}}> refused: {{reply}}',
      'rcpt-rejected': 'RCPT TO:<{{to}}> refused: {{reply}}',
      'no-sender': 'no From address to use as the envelope sender',
      failed: 'the envelope did not complete: {{reason}}',
    },
    hints: {
      'mail-rejected': 'the server does not let this login send as this From address; use the login address or a verified sender',
      'rcpt-rejected': 'the server refuses this recipient (relaying denied, unknown user, or a policy)',
    },
  },
  appliesTo: (p, plan) => p.transport === 'smtp' && Boolean(plan.rcpt),
  requires: (p) => {
    const enc = encryptionOf(p);
    return [
      'smtp.greeting',
      ...(enc === 'starttls' ? ['smtp.starttls'] : []),
      ...(enc !== 'none' ? ['tls.handshake'] : []),
      ...(usesAuth(p) ? ['smtp.auth'] : []),
    ];
  },
  async run(ctx): Promise<CheckOutcome> {
    const from = senderOf(ctx.profile);
    const to = ctx.rcpt ?? '';
    if (!from) return { status: 'skip', messageId: 'no-sender' };
    const t = await ctx.probe.smtp('envelope');
    const e = t.envelope;
    if (!e) return stopped(t);
    const data = { from, to };
    const details = { mail: e.mail?.text ?? null, rcpt: e.rcpt?.text ?? null };
    if (e.ok) return { status: 'pass', messageId: 'ok', data, details, durationMs: e.durationMs };
    if (e.mail && e.mail.code !== 250) {
      return { status: 'fail', messageId: 'mail-rejected', hintId: 'mail-rejected', data: { ...data, reply: e.mail.text }, details, durationMs: e.durationMs };
    }
    if (e.rcpt) {
      return { status: 'fail', messageId: 'rcpt-rejected', hintId: 'rcpt-rejected', data: { ...data, reply: e.rcpt.text }, details, durationMs: e.durationMs };
    }
    return { status: 'fail', messageId: 'failed', data: { ...data, ...failureData(e.failure) }, details, durationMs: e.durationMs };
  },
};
