import { parseTlsRpt } from '../deliverability/tls-rpt.ts';
import { DOMAIN_MESSAGES, forFromDomain } from './deliverability-common.ts';
import type { Check, CheckOutcome } from './types.ts';

/** `dns.tls-rpt`: RFC 8460 reporting record and its destinations. */
export const dnsTlsRpt: Check = {
  meta: {
    id: 'dns.tls-rpt',
    title: 'TLS reporting (TLS-RPT)',
    description: 'RFC 8460: the _smtp._tls TXT record and its rua= destinations',
    outcomes: {
      pass: 'one `v=TLSRPTv1` record with `mailto:` or `https:` destinations',
      warn: 'no record (you will not hear about TLS failures towards your domain)',
      fail: 'several records, a broken record',
      skip: 'no From address, the From domain does not exist',
    },
    needs: ['dns'],
    groups: ['dns', 'tls-rpt', 'deliverability'],
    benignSkips: ['domain-missing'],
    messages: {
      ok: '{{domain}} receives TLS reports at {{rua}}',
      none: '{{domain}} publishes no TLS-RPT record',
      several: '_smtp._tls.{{domain}} has {{count}} TLSRPTv1 records; RFC 8460 §3 then ignores them',
      invalid: 'the _smtp._tls.{{domain}} record is broken: {{reason}}',
      failed: 'TLS-RPT lookup of {{domain}} failed: {{reason}}',
      ...DOMAIN_MESSAGES,
    },
    hints: { none: 'publish _smtp._tls.{{domain}} TXT "v=TLSRPTv1; rua=mailto:tls-reports@{{domain}}"' },
  },
  appliesTo: () => true,
  requires: () => [],
  shareKey: (ctx) => ctx.fromDomain,
  run: forFromDomain(async (ctx, domain): Promise<CheckOutcome> => {
    const r = await ctx.probe.dns.txt(`_smtp._tls.${domain}`);
    const base = { durationMs: r.durationMs };
    if (r.status !== 'ok' && r.status !== 'nodata' && r.status !== 'nxdomain') return { ...base, status: 'fail', messageId: 'failed', data: { domain, reason: r.message ?? r.status } };
    const records = r.records.filter((t) => /^v=TLSRPTv1/i.test(t.trim()));
    if (records.length === 0) return { ...base, status: 'warn', messageId: 'none', hintId: 'none', data: { domain } };
    if (records.length > 1) return { ...base, status: 'fail', messageId: 'several', data: { domain, count: records.length } };
    const parsed = parseTlsRpt(records[0]!);
    if ('error' in parsed) return { ...base, status: 'fail', messageId: 'invalid', data: { domain, reason: parsed.error } };
    return { ...base, status: 'pass', messageId: 'ok', data: { domain, rua: parsed.rua.join(', ') }, details: { domain, rua: parsed.rua } };
  }),
};
