import { parseDkimKey } from '../deliverability/dkim-key.ts';
import { DOMAIN_MESSAGES, forFromDomain, selectorsOf } from './deliverability-common.ts';
import type { Check, CheckOutcome } from './types.ts';

/** RSA keys under this many bits are a warning (RFC 8301 §3.2: 2048 SHOULD); under 1024 a failure (MUST). */
const WARN_BITS = 2048;
const MIN_BITS = 1024;

interface SelectorResult {
  selector: string;
  name: string;
  status: 'ok' | 'weak' | 'too-weak' | 'revoked' | 'missing' | 'invalid' | 'error';
  bits?: number;
  k?: string;
  cname?: string;
  reason?: string;
}

/** `dns.dkim`: the key record of each DKIM selector exists, parses, is not revoked and is strong enough. */
export const dnsDkim: Check = {
  meta: {
    id: 'dns.dkim',
    title: 'DKIM keys published',
    description: "for each DKIM selector of the profile or its provider: the key record exists (through the provider's CNAME), parses, is not revoked, RSA ≥ 1024 bits (warn under 2048)",
    outcomes: {
      pass: 'every selector has a valid key (RSA ≥ 2048 bits or Ed25519)',
      warn: 'an RSA key under 2048 bits (RFC 8301)',
      fail: 'a selector without a key record, a revoked key (empty `p=`), a record that does not parse, RSA under 1024 bits',
      skip: 'no selectors known (set `dkim.selectors`), no From address, the From domain does not exist',
    },
    needs: ['dns'],
    groups: ['dns', 'dkim', 'deliverability'],
    benignSkips: ['no-selectors', 'domain-missing'],
    messages: {
      ok: '{{domain}} publishes DKIM keys for {{selectors}}',
      weak: 'the DKIM key of {{selector}}._domainkey.{{domain}} has {{bits}} bits; RFC 8301 asks for 2048',
      'too-weak': 'the DKIM key of {{selector}}._domainkey.{{domain}} has {{bits}} bits; receivers reject keys under 1024 (RFC 8301 §3.2)',
      revoked: 'the DKIM key of {{selector}}._domainkey.{{domain}} is revoked (empty p=): signatures with it fail',
      missing: 'no DKIM key at {{selector}}._domainkey.{{domain}}{{cname}}',
      invalid: 'the DKIM record at {{selector}}._domainkey.{{domain}} is broken: {{reason}}',
      failed: 'DKIM lookup of {{selector}}._domainkey.{{domain}} failed: {{reason}}',
      'no-selectors': 'no DKIM selectors known for this profile',
      ...DOMAIN_MESSAGES,
    },
    hints: {
      missing: "publish the key your provider gives you at {{selector}}._domainkey.{{domain}} (often a CNAME into the provider's domain)",
      weak: 'rotate to a 2048-bit key: publish it under a new selector, switch signing, then remove the old one',
      'too-weak': 'rotate to a 2048-bit key under a new selector',
      revoked: 'sign with another selector, or publish the current key again',
      'no-selectors': 'name them in the profile: dkim: { selectors: [your-selector] }',
    },
  },
  appliesTo: () => true,
  requires: () => [],
  shareKey: (ctx) => ctx.fromDomain && `${ctx.fromDomain} ${selectorsOf(ctx).selectors.join(',')}`,
  run: forFromDomain(async (ctx, domain): Promise<CheckOutcome> => {
    const { selectors, from } = selectorsOf(ctx);
    if (selectors.length === 0) return { status: 'skip', messageId: 'no-selectors', hintId: 'no-selectors' };
    const started = performance.now();
    const results: SelectorResult[] = await Promise.all(
      selectors.map(async (selector): Promise<SelectorResult> => {
        const name = `${selector}._domainkey.${domain}`;
        const [txt, cname] = await Promise.all([ctx.probe.dns.txt(name), ctx.probe.dns.cname(name)]);
        const via = cname.records[0];
        const base = { selector, name, ...(via ? { cname: via } : {}) };
        if (txt.status !== 'ok' && txt.status !== 'nodata' && txt.status !== 'nxdomain') return { ...base, status: 'error', reason: txt.message ?? txt.status };
        const records = txt.records.filter((t) => /(^|;)\s*(v=DKIM1|p=)/i.test(t));
        if (records.length === 0) return { ...base, status: 'missing' };
        const key = parseDkimKey(records[0]!);
        if ('error' in key) return { ...base, status: 'invalid', reason: key.error };
        if (key.revoked) return { ...base, status: 'revoked', k: key.k };
        const bits = key.bits ?? 0;
        const status = key.k === 'rsa' && bits < MIN_BITS ? 'too-weak' : key.k === 'rsa' && bits < WARN_BITS ? 'weak' : 'ok';
        return { ...base, status, bits, k: key.k };
      }),
    );
    const details = { domain, selectorsFrom: from, selectors: results };
    const durationMs = Math.round(performance.now() - started);
    const order: SelectorResult['status'][] = ['error', 'missing', 'invalid', 'revoked', 'too-weak', 'weak'];
    for (const status of order) {
      const r = results.find((x) => x.status === status);
      if (!r) continue;
      const data = { domain, selector: r.selector, bits: r.bits ?? 0, reason: r.reason ?? '', cname: r.cname ? ` (the CNAME points to ${r.cname}, which has none)` : '' };
      const messageId = status === 'error' ? 'failed' : status;
      return { status: status === 'weak' ? 'warn' : 'fail', messageId, ...(status === 'error' || status === 'invalid' ? {} : { hintId: status }), data, details, durationMs };
    }
    return { status: 'pass', messageId: 'ok', data: { domain, selectors: selectors.join(', ') }, details, durationMs };
  }),
};
