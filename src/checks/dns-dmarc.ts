import { organisationalDomain } from '../deliverability/org-domain.ts';
import { DOMAIN_MESSAGES, forFromDomain } from './deliverability-common.ts';
import type { Check, CheckOutcome, DnsLookup } from './types.ts';

const DMARC = /^v=DMARC1\s*(;|$)/i;

function tags(record: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of record.split(';')) {
    const m = /^\s*([a-z]+)\s*=\s*(.*?)\s*$/i.exec(part);
    if (m) out[m[1]!.toLowerCase()] = m[2]!;
  }
  return out;
}

/**
 * The DMARC record that governs `domain`: its own, else its organisational domain's (RFC 7489
 * §6.6.3; organisational domains from the Public Suffix List).
 */
export async function findDmarc(domain: string, dns: DnsLookup): Promise<{ at: string; records: string[]; status: string; error?: string }> {
  const org = organisationalDomain(domain);
  const ask = async (at: string) => {
    const r = await dns.txt(`_dmarc.${at}`);
    return { at, records: r.records.filter((t) => DMARC.test(t.trim())), status: r.status, ...(r.message ? { error: r.message } : {}) };
  };
  const own = await ask(domain);
  if (own.records.length || org === domain || (own.status !== 'ok' && own.status !== 'nodata' && own.status !== 'nxdomain')) return own;
  const parent = await ask(org);
  return parent.records.length ? parent : own;
}

/** `dns.dmarc`: a DMARC record exists for the From domain; its policy is reported. */
export const dnsDmarc: Check = {
  meta: {
    id: 'dns.dmarc',
    title: 'DMARC policy',
    description: 'a DMARC record exists for the From domain; its policy (p=) is reported',
    outcomes: {
      pass: 'a DMARC record (the domain\'s, else the parent\'s); `p=` reported',
      warn: 'no record',
      fail: 'several records, no valid `p=`',
      skip: 'no From address',
    },
    needs: ['dns'],
    groups: ['dns', 'dmarc'],
    benignSkips: ['domain-missing'],
    messages: {
      ok: '{{domain}} has DMARC p={{policy}}{{inherited}}',
      'ok-none': '{{domain}} has DMARC p=none{{inherited}} (monitoring only: forgeries are still delivered)',
      missing: '{{domain}} has no DMARC record; large mailbox providers expect one from bulk senders',
      multiple: '{{domain}} publishes {{count}} DMARC records; receivers then ignore DMARC (RFC 7489 §6.6.3)',
      invalid: 'the DMARC record of {{domain}} has no valid p= tag: {{record}}',
      failed: 'DMARC lookup of {{domain}} failed: {{status}} ({{reason}})',
      ...DOMAIN_MESSAGES,
    },
    hints: {
      missing: 'publish a TXT record at _dmarc.{{domain}}: "v=DMARC1; p=none; rua=mailto:dmarc@{{domain}}", then tighten p=',
      multiple: 'keep exactly one v=DMARC1 record',
      invalid: 'p= must be none, quarantine or reject',
    },
  },
  appliesTo: () => true,
  requires: () => [],
  shareKey: (ctx) => ctx.fromDomain,
  run: forFromDomain(async (ctx, domain): Promise<CheckOutcome> => {
    const started = performance.now();
    const r = await findDmarc(domain, ctx.probe.dns);
    const durationMs = Math.round(performance.now() - started);
    const inherited = r.at !== domain ? ` (from ${r.at})` : '';
    const details: Record<string, unknown> = { domain, at: r.at, records: r.records };
    const base = { details, durationMs };
    if (r.records.length === 0) {
      if (r.status === 'ok' || r.status === 'nodata' || r.status === 'nxdomain') {
        return { ...base, status: 'warn', messageId: 'missing', hintId: 'missing', data: { domain } };
      }
      return { ...base, status: 'fail', messageId: 'failed', data: { domain, status: r.status, reason: r.error ?? r.status } };
    }
    if (r.records.length > 1) return { ...base, status: 'fail', messageId: 'multiple', hintId: 'multiple', data: { domain, count: r.records.length } };
    const record = r.records[0]!.trim();
    const t = tags(record);
    // a subdomain inherits sp= when present (RFC 7489 §6.3)
    const policy = (r.at !== domain && t.sp ? t.sp : t.p)?.toLowerCase();
    details.record = record;
    details.policy = policy ?? null;
    if (!policy || !['none', 'quarantine', 'reject'].includes(policy)) {
      return { ...base, status: 'fail', messageId: 'invalid', hintId: 'invalid', data: { domain, record } };
    }
    return { ...base, status: 'pass', messageId: policy === 'none' ? 'ok-none' : 'ok', data: { domain, policy, inherited } };
  }),
};
