import { parseDkimKey } from '../deliverability/dkim-key.ts';
import { parseDmarc, type DmarcPolicy } from '../deliverability/dmarc-record.ts';
import { aligned, organisationalDomain } from '../deliverability/org-domain.ts';
import { evaluateSpf } from '../deliverability/spf-eval.ts';
import { domainGone, DOMAIN_MESSAGES, selectorsOf } from './deliverability-common.ts';
import { findDmarc } from './dns-dmarc.ts';
import { walkSpf } from './dns-spf.ts';
import type { Check, CheckContext, CheckOutcome } from './types.ts';

interface Leg {
  /** the identifier authenticated: the envelope domain (SPF) or the signing domain (DKIM) */
  domain?: string;
  passes: boolean;
  aligns: boolean;
  why: string;
}

/** SPF: the envelope (Return-Path) domain, and whether the From domain's SPF authorises the sender. */
async function spfLeg(ctx: CheckContext, from: string, mode: 'r' | 's'): Promise<Leg> {
  const envelope = ctx.provider?.sending?.envelope;
  if (envelope && envelope !== 'from') {
    return { domain: envelope.domain, passes: true, aligns: aligned(envelope.domain, from, mode), why: `${ctx.provider!.name} sends with its own envelope domain ${envelope.domain}` };
  }
  const include = ctx.provider?.spfInclude;
  if (ctx.provider?.public) {
    if (!include) return { domain: from, passes: false, aligns: true, why: `no SPF include is known for ${ctx.provider.name}` };
    const walk = await walkSpf(from, ctx.probe.dns);
    const ok = walk.status === 'found' && walk.includes.includes(include.toLowerCase()) && walk.lookups <= 10;
    return { domain: from, passes: ok, aligns: true, why: ok ? `${from}'s SPF includes ${include}` : `${from}'s SPF does not include ${include}` };
  }
  // a relay of the user's own: evaluate SPF for the addresses mail leaves from
  const host = await ctx.probe.host();
  const ip = host.addresses[0];
  if (!ip) return { domain: from, passes: false, aligns: true, why: 'the host did not resolve' };
  const r = await evaluateSpf(from, ip, ctx.probe.dns);
  return { domain: from, passes: r.result === 'pass', aligns: true, why: r.result === 'pass' ? `${from}'s SPF authorises ${ip} (${r.matched ?? 'match'})` : `${from}'s SPF gives ${r.result} for ${ip}` };
}

/** DKIM: does the provider (or the relay) sign with `d=` the From domain, with a key published? */
async function dkimLeg(ctx: CheckContext, from: string, mode: 'r' | 's'): Promise<Leg> {
  const { selectors, from: source } = selectorsOf(ctx);
  const signs = source === 'profile' || ctx.provider?.sending?.dkim?.signsWithCustomerDomain === true;
  if (!signs || selectors.length === 0) return { passes: false, aligns: false, why: selectors.length ? `${ctx.provider?.name ?? 'the relay'} is not known to sign with ${from}` : 'no DKIM selectors are known' };
  for (const selector of selectors) {
    const r = await ctx.probe.dns.txt(`${selector}._domainkey.${from}`);
    const key = r.records.map(parseDkimKey).find((k) => !('error' in k) && !k.revoked);
    if (key) return { domain: from, passes: true, aligns: aligned(from, from, mode), why: `a key is published at ${selector}._domainkey.${from}` };
  }
  return { domain: from, passes: false, aligns: true, why: `no usable key at ${selectors.map((s) => `${s}._domainkey.${from}`).join(', ')}` };
}

/**
 * `dns.alignment`: predicts the DMARC verdict (RFC 7489 §3.1, §6.6) a receiver reaches for a
 * message sent with this profile, and says the one change that would make it pass.
 */
export const dnsAlignment: Check = {
  meta: {
    id: 'dns.alignment',
    title: 'DMARC alignment (predicted)',
    description: "predicts DMARC for a message from this profile's From: SPF passes and aligns (the provider's envelope domain and the From domain's SPF), or DKIM aligns (the provider signs with d= the From domain); organisational domains from the Public Suffix List",
    outcomes: {
      pass: 'SPF or DKIM passes and aligns with the From domain',
      warn: 'neither aligns but the policy is `p=none` (delivered, reported) or there is no DMARC record',
      fail: 'neither aligns under `p=quarantine` / `p=reject` (or `sp=` for a subdomain): the receiver quarantines or rejects',
      skip: 'no From address, the From domain does not exist',
    },
    needs: ['dns'],
    groups: ['dns', 'alignment', 'dmarc', 'deliverability'],
    benignSkips: ['domain-missing'],
    messages: {
      ok: 'DMARC passes for {{domain}}: {{how}}',
      'fails-none': 'DMARC would fail for {{domain}} ({{why}}); p=none only reports it, but Gmail and Yahoo expect alignment from bulk senders',
      'fails-no-dmarc': 'DMARC would fail for {{domain}} if it published a policy ({{why}})',
      fails: 'DMARC fails for {{domain}} ({{why}}): receivers {{action}} the mail under {{tag}}={{policy}}',
      ...DOMAIN_MESSAGES,
    },
    hints: {
      fix: '{{fix}}',
    },
  },
  appliesTo: (p) => p.transport === 'smtp',
  requires: () => [],
  async run(ctx): Promise<CheckOutcome> {
    const from = ctx.fromDomain;
    if (!from) return { status: 'skip', messageId: 'no-domain' };
    const gone = await domainGone(ctx, from);
    if (gone) return gone;
    const started = performance.now();
    const found = await findDmarc(from, ctx.probe.dns);
    const parsed = found.records.length === 1 ? parseDmarc(found.records[0]!) : undefined;
    const record = parsed && !('error' in parsed) ? parsed : undefined;
    const subdomain = found.at !== from;
    const [spf, dkim] = await Promise.all([spfLeg(ctx, from, record?.aspf ?? 'r'), dkimLeg(ctx, from, record?.adkim ?? 'r')]);
    const policy: DmarcPolicy | undefined = record ? (subdomain ? record.sp : record.p) : undefined;
    const details = {
      domain: from,
      organisationalDomain: organisationalDomain(from),
      dmarc: record ? { at: found.at, policy, tag: subdomain ? 'sp' : 'p', adkim: record.adkim, aspf: record.aspf } : null,
      spf,
      dkim,
    };
    const durationMs = Math.round(performance.now() - started);
    if ((spf.passes && spf.aligns) || (dkim.passes && dkim.aligns)) {
      const how = [spf.passes && spf.aligns ? `SPF aligns (${spf.why})` : '', dkim.passes && dkim.aligns ? `DKIM aligns (${dkim.why})` : ''].filter(Boolean).join('; ');
      return { status: 'pass', messageId: 'ok', data: { domain: from, how }, details, durationMs };
    }
    const why = [`SPF: ${spf.why}${spf.passes && !spf.aligns ? ', not aligned' : ''}`, `DKIM: ${dkim.why}`].join('; ');
    const fix = fixFor(ctx, from, spf, dkim);
    const data = { domain: from, why, fix, policy: policy ?? 'none', tag: subdomain ? 'sp' : 'p', action: policy === 'reject' ? 'reject' : 'quarantine' };
    if (!record) return { status: 'warn', messageId: 'fails-no-dmarc', hintId: 'fix', data, details, durationMs };
    if (policy === 'none') return { status: 'warn', messageId: 'fails-none', hintId: 'fix', data, details, durationMs };
    return { status: 'fail', messageId: 'fails', hintId: 'fix', data, details, durationMs };
  },
};

/** The one change that would make DMARC pass, with the record to publish. */
function fixFor(ctx: CheckContext, from: string, spf: Leg, dkim: Leg): string {
  const sel = selectorsOf(ctx).selectors[0];
  const signs = ctx.provider?.sending?.dkim?.signsWithCustomerDomain;
  if (sel && (signs || selectorsOf(ctx).from === 'profile') && !dkim.passes) {
    return `publish the DKIM key ${ctx.provider ? `${ctx.provider.name} gives you ` : ''}at ${sel}._domainkey.${from} (TXT "v=DKIM1; k=rsa; p=<public key>", or the provider's CNAME)`;
  }
  const include = ctx.provider?.spfInclude;
  if (spf.aligns && !spf.passes && include) return `publish at ${from}: TXT "v=spf1 include:${include} ~all" (or add include:${include} to the existing record)`;
  if (spf.aligns && !spf.passes && !ctx.provider?.public) return `authorise the relay in ${from}'s SPF: TXT "v=spf1 ip4:<relay address> ~all" (or add it to the existing record)`;
  if (!spf.aligns) return `set up DKIM signing with ${from} at ${ctx.provider?.name ?? 'the provider'} (its envelope domain ${spf.domain ?? ''} cannot align)`;
  return `send from an address at a domain that ${ctx.provider?.name ?? 'the relay'} can authenticate`;
}
