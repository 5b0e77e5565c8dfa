/** What the deliverability checks (SPEC §8) share: the From domain's existence and its DKIM selectors. */
import type { CheckContext, CheckOutcome } from './types.ts';

/**
 * One root cause, one failure: when the From domain does not exist (NXDOMAIN), `dns.mx` reports
 * it and every check that reads the domain's other records is `skip` with this outcome.
 */
export async function domainGone(ctx: CheckContext, domain: string): Promise<CheckOutcome | undefined> {
  const mx = await ctx.probe.dns.mx(domain);
  return mx.status === 'nxdomain' ? { status: 'skip', messageId: 'domain-missing', data: { domain } } : undefined;
}

/**
 * The run of a check of the From domain: `skip` without a From address, or when the domain does
 * not exist (see {@link domainGone}); otherwise `run` with the domain.
 */
export function forFromDomain(run: (ctx: CheckContext, domain: string) => Promise<CheckOutcome>): (ctx: CheckContext) => Promise<CheckOutcome> {
  return async (ctx) => {
    const domain = ctx.fromDomain;
    if (!domain) return { status: 'skip', messageId: 'no-domain' };
    return (await domainGone(ctx, domain)) ?? run(ctx, domain);
  };
}

export const DOMAIN_MESSAGES = {
  'domain-missing': '{{domain}} does not exist (dns.mx says so); nothing to look up',
  'no-domain': 'no From address to take a domain from',
} as const;

/** The DKIM selectors of a profile: its own `dkim.selectors`, else its provider's. */
export function selectorsOf(ctx: CheckContext): { selectors: string[]; from: 'profile' | 'preset' | 'none' } {
  if (ctx.profile.dkim?.selectors.length) return { selectors: ctx.profile.dkim.selectors, from: 'profile' };
  const p = ctx.provider?.sending?.dkim?.selectors;
  return p?.length ? { selectors: p, from: 'preset' } : { selectors: [], from: 'none' };
}

/** The reverse-lookup name of an address (RFC 1035 §3.5, RFC 3596 §2.5). */
export function reverseName(address: string): string {
  if (!address.includes(':')) return `${address.split('.').reverse().join('.')}.in-addr.arpa`;
  const [head = '', tail = ''] = address.split('::');
  const groups = (s: string) => (s ? s.split(':') : []);
  const h = groups(head);
  const t = groups(tail);
  const all = address.includes('::') ? [...h, ...new Array<string>(8 - h.length - t.length).fill('0'), ...t] : h;
  return `${all.map((g) => g.padStart(4, '0')).join('').split('').reverse().join('.')}.ip6.arpa`;
}
