import { tlsVerdict, TLS_HINTS, TLS_MESSAGES } from './common.ts';
import type { Check, CheckOutcome } from './types.ts';

/** `http.endpoint`: an HTTP mail service's URL answers over verified TLS. */
export const httpEndpoint: Check = {
  meta: {
    id: 'http.endpoint',
    title: 'HTTP endpoint',
    description: 'for http profiles: the URL answers over verified TLS',
    outcomes: {
      pass: '(`http` profiles) the https URL answers (any status below 500) over verified TLS',
      warn: '`tls.verify: false`',
      fail: '`http://`, 5xx, TLS problems as above, refused, timeout',
    },
    needs: ['http'],
    groups: ['http'],
    messages: {
      ...TLS_MESSAGES,
      ok: '{{url}} answered HTTP {{status}} over {{protocol}}; certificate trusted, expires in {{days}} days',
      'not-https': '{{url}} is not https: the API key and every message would cross in cleartext',
      'server-error': '{{url}} answered HTTP {{status}}',
      timeout: '{{url}} did not answer ({{reason}})',
      refused: '{{url}} refused the connection',
      failed: '{{url}} cannot be reached: {{reason}}',
      'no-url': 'the profile has no http.url',
    },
    hints: {
      ...TLS_HINTS,
      'not-https': 'use the https:// URL of the service',
      'server-error': 'the service is up but failing; retry later or ask its operator',
    },
  },
  appliesTo: (p) => p.transport === 'http',
  requires: () => [],
  async run(ctx): Promise<CheckOutcome> {
    const url = ctx.profile.http?.url;
    if (!url) return { status: 'fail', messageId: 'no-url' };
    if (!/^https:/i.test(url)) return { status: 'fail', messageId: 'not-https', hintId: 'not-https', data: { url } };
    const r = await ctx.probe.http();
    const details: Record<string, unknown> = { url: r.url, status: r.status ?? null };
    const data: Record<string, string | number> = { url: r.url };
    if (r.failure) {
      const reason = r.failure.message;
      const id = r.failure.kind === 'timeout' ? 'timeout' : r.failure.kind === 'refused' ? 'refused' : 'failed';
      return { status: 'fail', messageId: id, data: { ...data, reason }, details, durationMs: r.durationMs };
    }
    if (r.tls) {
      const v = tlsVerdict(r.tls, ctx.profile.tls?.verify !== false, ctx.probe.caError());
      Object.assign(details, { protocol: r.tls.protocol, chainTrusted: r.tls.chainTrusted, nameMatches: r.tls.nameMatches, daysToExpiry: r.tls.daysToExpiry, certificate: r.tls.chain });
      if (v.status !== 'pass') {
        return { status: v.status, messageId: v.messageId, data: { ...data, ...v.data }, ...(TLS_HINTS[v.messageId] ? { hintId: v.messageId } : {}), details, durationMs: r.durationMs };
      }
      Object.assign(data, v.data);
    }
    if (!r.ok) return { status: 'fail', messageId: 'server-error', hintId: 'server-error', data: { ...data, status: r.status ?? 0 }, details, durationMs: r.durationMs };
    return { status: 'pass', messageId: 'ok', data: { ...data, status: r.status ?? 0 }, details, durationMs: r.durationMs };
  },
};
