import type { Check, CheckOutcome } from './types.ts';

/** `dns.host`: the SMTP host resolves (A/AAAA) the way the application will resolve it. */
export const dnsHost: Check = {
  meta: {
    id: 'dns.host',
    title: 'host resolves',
    description: 'the SMTP host resolves (A/AAAA); the addresses are listed',
    outcomes: {
      pass: 'the host resolves (A/AAAA; through `--resolver` when given, else getaddrinfo as the app will), addresses listed',
      fail: 'NXDOMAIN, no address, DNS error',
    },
    needs: ['session'],
    groups: ['dns', 'host'],
    messages: {
      literal: '{{host}} is an IP address',
      resolved: '{{host}} resolves to {{addresses}}',
      nxdomain: '{{host}} does not exist (NXDOMAIN)',
      nodata: '{{host}} has no A or AAAA record',
      failed: 'DNS lookup of {{host}} failed: {{status}} ({{reason}})',
      'no-host': 'the profile has no host',
    },
    hints: {
      nxdomain: 'check the spelling of host, or the preset',
      failed: 'check the resolver (--resolver) and the network',
    },
  },
  appliesTo: (p) => p.transport === 'smtp',
  requires: () => [],
  async run(ctx): Promise<CheckOutcome> {
    const host = ctx.profile.host;
    if (!host) return { status: 'fail', messageId: 'no-host' };
    const r = await ctx.probe.host();
    const details = { addresses: r.addresses, via: r.via, status: r.status };
    if (r.status === 'ok') {
      return {
        status: 'pass',
        messageId: r.via === 'literal' ? 'literal' : 'resolved',
        data: { host, addresses: r.addresses.join(', ') },
        details,
        durationMs: r.durationMs,
      };
    }
    if (r.status === 'nxdomain' || r.status === 'nodata') {
      return { status: 'fail', messageId: r.status, hintId: 'nxdomain', data: { host }, details, durationMs: r.durationMs };
    }
    return {
      status: 'fail',
      messageId: 'failed',
      hintId: 'failed',
      data: { host, status: r.status, reason: r.message ?? r.status },
      details,
      durationMs: r.durationMs,
    };
  },
};
