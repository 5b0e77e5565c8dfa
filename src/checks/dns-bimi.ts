import { parseBimi } from '../deliverability/bimi.ts';
import { DOMAIN_MESSAGES, forFromDomain } from './deliverability-common.ts';
import type { Check, CheckOutcome } from './types.ts';

/** `dns.bimi`: the `default._bimi` record, if any, and its syntax (information only). */
export const dnsBimi: Check = {
  meta: {
    id: 'dns.bimi',
    title: 'BIMI record',
    description: 'the default._bimi record, if any, and its syntax (information only: BIMI needs DMARC at quarantine or reject to show)',
    outcomes: {
      pass: 'a valid `v=BIMI1` record (logo URL reported), or none (BIMI is optional)',
      warn: 'a record that does not parse',
      skip: 'no From address, the From domain does not exist',
    },
    needs: ['dns'],
    groups: ['dns', 'bimi', 'deliverability'],
    benignSkips: ['domain-missing'],
    messages: {
      ok: '{{domain}} has a BIMI record (logo {{logo}})',
      none: '{{domain}} has no BIMI record (optional)',
      invalid: 'the default._bimi.{{domain}} record is broken: {{reason}}',
      failed: 'BIMI lookup of {{domain}} failed: {{reason}}',
      ...DOMAIN_MESSAGES,
    },
  },
  appliesTo: () => true,
  requires: () => [],
  shareKey: (ctx) => ctx.fromDomain,
  run: forFromDomain(async (ctx, domain): Promise<CheckOutcome> => {
    const r = await ctx.probe.dns.txt(`default._bimi.${domain}`);
    const base = { durationMs: r.durationMs };
    if (r.status !== 'ok' && r.status !== 'nodata' && r.status !== 'nxdomain') return { ...base, status: 'warn', messageId: 'failed', data: { domain, reason: r.message ?? r.status } };
    const record = r.records.find((t) => /^v=BIMI1/i.test(t.trim()));
    if (!record) return { ...base, status: 'pass', messageId: 'none', data: { domain } };
    const parsed = parseBimi(record);
    if ('error' in parsed) return { ...base, status: 'warn', messageId: 'invalid', data: { domain, reason: parsed.error } };
    return { ...base, status: 'pass', messageId: 'ok', data: { domain, logo: parsed.logo ?? 'none' }, details: { domain, ...parsed } };
  }),
};
