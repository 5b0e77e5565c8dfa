import { failureData, stopped } from './common.ts';
import { encryptionOf, portOf } from '../config/profile-facts.ts';
import type { Check, CheckOutcome } from './types.ts';

/** `smtp.greeting`: a 220 greeting arrives in time, and EHLO is accepted. */
export const smtpGreeting: Check = {
  meta: {
    id: 'smtp.greeting',
    title: '220 greeting',
    description: 'a 220 greeting arrives within the greeting timeout and EHLO is accepted',
    outcomes: {
      pass: 'a `220` arrives within the greeting timeout and EHLO is accepted',
      fail: 'timeout (hint: maybe the port wants `ssl`), `421`/`554`, an overlong line (lines are capped at 4 KiB), EHLO refused',
    },
    needs: ['session'],
    groups: ['smtp', 'greeting'],
    messages: {
      ok: '{{reply}}',
      timeout: 'no greeting from the server ({{reason}})',
      'timeout-implicit': 'no greeting from the server ({{reason}}); port {{port}} may expect TLS from the first byte',
      rejected: 'the server refused the session: {{reply}}',
      'line-too-long': 'the server sent an overlong line ({{reason}}); this is not a working SMTP server',
      closed: 'the server closed the connection before greeting',
      failed: 'no usable greeting: {{reason}}',
      'ehlo-rejected': 'the server refused EHLO: {{reply}}',
    },
    hints: {
      'timeout-implicit': 'if this port speaks TLS at once (usually 465), set encryption: ssl',
      rejected: 'a 421 or 554 greeting means the server is busy or refuses this client (blocklisted IP, wrong port)',
    },
  },
  appliesTo: (p) => p.transport === 'smtp',
  requires: () => ['smtp.connect'],
  async run(ctx): Promise<CheckOutcome> {
    const t = await ctx.probe.smtp('ehlo');
    const g = t.greeting;
    if (!g) return stopped(t);
    const details: Record<string, unknown> = { banner: g.reply?.text ?? null };
    if (!g.ok) {
      const f = g.failure;
      const data = { ...failureData(f), reply: g.reply?.text ?? '', port: portOf(ctx.profile) };
      if (g.reply) return { status: 'fail', messageId: 'rejected', hintId: 'rejected', data, details, durationMs: g.durationMs };
      if (f?.kind === 'timeout') {
        const implicit = encryptionOf(ctx.profile) !== 'ssl';
        const id = implicit ? 'timeout-implicit' : 'timeout';
        return { status: 'fail', messageId: id, hintId: id, data, details, durationMs: g.durationMs };
      }
      if (f?.kind === 'line-too-long' || f?.kind === 'too-many-lines') return { status: 'fail', messageId: 'line-too-long', data, details, durationMs: g.durationMs };
      if (f?.kind === 'closed') return { status: 'fail', messageId: 'closed', data, details, durationMs: g.durationMs };
      return { status: 'fail', messageId: 'failed', data, details, durationMs: g.durationMs };
    }
    const ehlo = t.ehloPlain ?? t.ehlo;
    if (ehlo) {
      details.extensions = Object.keys(ehlo.extensions);
      if (!ehlo.ok) {
        return {
          status: 'fail',
          messageId: ehlo.reply ? 'ehlo-rejected' : 'failed',
          data: { reply: ehlo.reply?.text ?? '', ...failureData(ehlo.failure) },
          details,
          durationMs: g.durationMs,
        };
      }
    }
    return { status: 'pass', messageId: 'ok', data: { reply: g.reply?.text ?? '220' }, details, durationMs: g.durationMs };
  },
};
