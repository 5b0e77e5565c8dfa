import { failureData, stopped, tlsVerdict, TLS_HINTS, TLS_MESSAGES } from './common.ts';
import { describeTlsError } from '../net/tls-errors.ts';
import { encryptionOf } from '../config/profile-facts.ts';
import type { Check, CheckOutcome } from './types.ts';

/** `tls.handshake`: implicit TLS or STARTTLS completes; protocol, cipher, trust, name, expiry. */
export const tlsHandshake: Check = {
  meta: {
    id: 'tls.handshake',
    title: 'TLS handshake',
    description: 'implicit TLS or STARTTLS completes: protocol, cipher, chain trusted (incl. tls.ca), name matches, days to expiry (warn under 21, fail when expired); tls.verify: false downgrades failures to warnings',
    outcomes: {
      pass: 'protocol, cipher; the chain verifies against the system CAs plus `tls.ca`; the name matches (`tls.servername` or host); more than 21 days to expiry',
      warn: 'expires within 21 days; TLS 1.0/1.1; `tls.verify: false` turns every failure into a warning',
      fail: 'untrusted chain (self-signed, private CA without `tls.ca`), wrong name, expired, handshake error (hint when `ssl` meets a plain-text port)',
    },
    needs: ['session'],
    groups: ['tls'],
    messages: {
      ...TLS_MESSAGES,
      timeout: 'the TLS handshake did not complete ({{reason}})',
      'plain-port': 'the server answered in plain text: it probably wants starttls, not ssl',
      failed: '{{reason}}',
    },
    hints: {
      ...TLS_HINTS,
      'plain-port': 'for a port that greets in plain text (587, 25) use encryption: starttls',
      failed: 'the server and this client share no protocol or cipher, or the server dropped the connection; check tls.minVersion',
    },
  },
  appliesTo: (p) => p.transport === 'smtp' && encryptionOf(p) !== 'none',
  requires: (p) => (encryptionOf(p) === 'starttls' ? ['smtp.starttls'] : ['smtp.connect']),
  async run(ctx): Promise<CheckOutcome> {
    const t = await ctx.probe.smtp('tls');
    const h = t.tls;
    if (!h) return stopped(t);
    if (!h.ok || !h.inspection) {
      const f = h.failure;
      const data = failureData(f);
      if (f?.kind === 'timeout') return { status: 'fail', messageId: 'timeout', data, durationMs: h.durationMs };
      const details = f?.code ? { code: f.code } : undefined;
      if (h.via === 'implicit' && f?.kind === 'tls' && describeTlsError(f, 'implicit').plainText) {
        return { status: 'fail', messageId: 'plain-port', hintId: 'plain-port', data, ...(details ? { details } : {}), durationMs: h.durationMs };
      }
      return { status: 'fail', messageId: 'failed', hintId: 'failed', data, ...(details ? { details } : {}), durationMs: h.durationMs };
    }
    const ins = h.inspection;
    const verdict = tlsVerdict(ins, ctx.profile.tls?.verify !== false, ctx.probe.caError());
    return {
      status: verdict.status,
      messageId: verdict.messageId,
      data: verdict.data,
      ...(TLS_HINTS[verdict.messageId] ? { hintId: verdict.messageId } : {}),
      details: {
        via: h.via,
        protocol: ins.protocol,
        cipher: ins.cipher,
        servername: ins.servername,
        chainTrusted: ins.chainTrusted,
        chainError: ins.chainError ?? null,
        nameMatches: ins.nameMatches,
        daysToExpiry: ins.daysToExpiry,
        customCa: ins.customCa,
        certificate: ins.chain,
      },
      durationMs: h.durationMs,
    };
  },
};
