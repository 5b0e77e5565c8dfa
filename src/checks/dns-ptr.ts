import { isIP } from '../config/ip.ts';
import { reverseName } from './deliverability-common.ts';
import type { Check, CheckOutcome } from './types.ts';

/** Addresses receivers never see (RFC 1918, RFC 4193, link-local): their reverse names do not matter. */
const PRIVATE = /^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|169\.254\.|f[cd][0-9a-f]{2}:|fe80:)/i;

/**
 * `dns.ptr`: for a relay that is not a known provider's, its addresses have reverse names that
 * resolve back to them (forward-confirmed reverse DNS), which receivers such as Gmail require of
 * sending IPs.
 */
export const dnsPtr: Check = {
  meta: {
    id: 'dns.ptr',
    title: 'Reverse DNS of the relay',
    description: "for a host that is not a known provider's: its addresses have reverse names that resolve back (forward-confirmed)",
    outcomes: {
      pass: 'every address has a PTR whose name resolves back to it',
      fail: 'an address without PTR, or whose PTR name does not resolve back to it',
      skip: "the host is a known provider's, it did not resolve, or its addresses are private",
    },
    needs: ['dns'],
    groups: ['dns', 'ptr'],
    benignSkips: ['provider', 'private'],
    messages: {
      ok: '{{addresses}} reverse-resolve{{names}} and back',
      'no-ptr': '{{address}} has no reverse name (PTR); receivers distrust mail from it',
      unconfirmed: '{{address}} reverse-resolves to {{name}}, which does not resolve back to it',
      provider: "{{host}} is {{provider}}'s: its reverse DNS is the provider's business",
      unresolved: 'the host did not resolve',
      private: '{{address}} is a private address: receivers see your relay\'s public address instead',
      failed: 'PTR lookup of {{address}} failed: {{reason}}',
    },
    hints: {
      'no-ptr': 'ask whoever runs the address (your hosting provider) to set its PTR to the relay\'s name',
      unconfirmed: 'make {{name}} resolve to {{address}}, or set the PTR to a name that does',
    },
  },
  appliesTo: (p) => p.transport === 'smtp' && Boolean(p.host),
  requires: () => [],
  async run(ctx): Promise<CheckOutcome> {
    if (ctx.provider?.public) return { status: 'skip', messageId: 'provider', data: { host: ctx.profile.host ?? '', provider: ctx.provider.name } };
    const started = performance.now();
    const host = await ctx.probe.host();
    if (host.addresses.length === 0) return { status: 'skip', messageId: 'unresolved' };
    const addresses = host.addresses.filter((a) => isIP(a)).slice(0, 8);
    const priv = addresses.find((a) => PRIVATE.test(a));
    if (priv && addresses.every((a) => PRIVATE.test(a))) return { status: 'skip', messageId: 'private', data: { address: priv } };
    const names: string[] = [];
    const results: { address: string; ptr: string[]; confirmed: boolean }[] = [];
    for (const address of addresses.filter((a) => !PRIVATE.test(a))) {
      const ptr = await ctx.probe.dns.ptr(reverseName(address));
      const took = Math.round(performance.now() - started);
      if (ptr.status !== 'ok' && ptr.status !== 'nodata' && ptr.status !== 'nxdomain') return { status: 'fail', messageId: 'failed', data: { address, reason: ptr.message ?? ptr.status }, durationMs: took };
      if (ptr.records.length === 0) return { status: 'fail', messageId: 'no-ptr', hintId: 'no-ptr', data: { address }, details: { results }, durationMs: took };
      let confirmed = false;
      for (const name of ptr.records.slice(0, 4)) {
        const fwd = address.includes(':') ? await ctx.probe.dns.aaaa(name) : await ctx.probe.dns.a(name);
        if (fwd.records.includes(address)) confirmed = true;
      }
      results.push({ address, ptr: ptr.records, confirmed });
      if (!confirmed) return { status: 'fail', messageId: 'unconfirmed', hintId: 'unconfirmed', data: { address, name: ptr.records[0]! }, details: { results }, durationMs: Math.round(performance.now() - started) };
      names.push(ptr.records[0]!);
    }
    return { status: 'pass', messageId: 'ok', data: { addresses: results.map((r) => r.address).join(', '), names: names.length ? ` (${[...new Set(names)].join(', ')})` : '' }, details: { results }, durationMs: Math.round(performance.now() - started) };
  },
};
