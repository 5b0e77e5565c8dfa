import type { Check, CheckOutcome } from './types.ts';

const isNull = (exchange: string): boolean => exchange === '' || exchange === '.';

/** `dns.mx`: the From domain accepts mail, so bounces and replies arrive (RFC 5321 §5.1, RFC 7505). */
export const dnsMx: Check = {
  meta: {
    id: 'dns.mx',
    title: 'From domain accepts mail (MX)',
    description: 'the From domain accepts mail: MX records; an RFC 7505 null MX fails, no MX warns',
    outcomes: {
      pass: 'the From domain has MX records',
      warn: 'no MX (mail falls back to A, RFC 5321 §5.1)',
      fail: 'RFC 7505 null MX, NXDOMAIN',
      skip: 'no From address',
    },
    needs: ['dns'],
    groups: ['dns', 'mx'],
    messages: {
      ok: '{{domain}} receives mail at {{exchanges}}',
      'null-mx': '{{domain}} publishes a null MX (RFC 7505): it accepts no mail, so replies and bounces to {{address}} are lost',
      'no-mx': '{{domain}} has no MX record; mail to it falls back to its address record (RFC 5321 §5.1)',
      nxdomain: '{{domain}} does not exist (NXDOMAIN)',
      failed: 'MX lookup of {{domain}} failed: {{status}} ({{reason}})',
      'no-domain': 'no From address to take a domain from',
    },
    hints: {
      'null-mx': 'send from an address whose domain receives mail, or remove the null MX',
      'no-mx': 'publish an MX record so replies and bounces reach a mailbox',
      nxdomain: 'check the From address',
    },
  },
  appliesTo: () => true,
  requires: () => [],
  shareKey: (ctx) => ctx.fromDomain,
  async run(ctx): Promise<CheckOutcome> {
    const domain = ctx.fromDomain;
    if (!domain) return { status: 'skip', messageId: 'no-domain' };
    const r = await ctx.probe.dns.mx(domain);
    const records = [...r.records].sort((a, b) => a.preference - b.preference);
    const details = { domain, mx: records, status: r.status };
    const base = { details, durationMs: r.durationMs };
    if (r.status === 'ok') {
      if (records.some((m) => isNull(m.exchange))) {
        return { ...base, status: 'fail', messageId: 'null-mx', hintId: 'null-mx', data: { domain, address: `@${domain}` } };
      }
      return { ...base, status: 'pass', messageId: 'ok', data: { domain, exchanges: records.map((m) => `${m.exchange} (${m.preference})`).join(', ') } };
    }
    if (r.status === 'nodata') return { ...base, status: 'warn', messageId: 'no-mx', hintId: 'no-mx', data: { domain } };
    if (r.status === 'nxdomain') return { ...base, status: 'fail', messageId: 'nxdomain', hintId: 'nxdomain', data: { domain } };
    return { ...base, status: 'fail', messageId: 'failed', data: { domain, status: r.status, reason: r.message ?? r.status } };
  },
};
