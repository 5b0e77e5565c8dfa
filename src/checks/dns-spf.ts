import { DOMAIN_MESSAGES, forFromDomain } from './deliverability-common.ts';
import type { Check, CheckOutcome, DnsLookup } from './types.ts';

/** RFC 7208 §4.6.4: at most 10 terms that cause DNS queries (include, a, mx, ptr, exists, redirect). */
export const SPF_LOOKUP_LIMIT = 10;
/** RFC 7208 §4.6.4: at most 2 lookups that return no records (NXDOMAIN or an empty answer). */
export const SPF_VOID_LIMIT = 2;

/** One record of the include tree, for the report. */
export interface SpfNode {
  domain: string;
  record?: string;
  /** `none`, or a DNS status other than ok */
  problem?: string;
  includes: SpfNode[];
}
/** stop walking an include tree this far over the limit: the verdict is already known */
const WALK_LIMIT = SPF_LOOKUP_LIMIT + 10;

const SPF_RECORD = /^v=spf1(\s|$)/i;
const MECHANISM = /^([+\-~?]?)(all|include|a|mx|ptr|ip4|ip6|exists)(?::([^/]*))?(\/.*)?$/i;
const MODIFIER = /^([a-z][a-z0-9_.-]*)=(.*)$/i;
const COUNTED = new Set(['include', 'a', 'mx', 'ptr', 'exists', 'redirect']);

/** What walking a domain's SPF tree found. */
export interface SpfWalk {
  record?: string;
  /** DNS-querying terms, counted through include and redirect */
  lookups: number;
  /** every domain reached through include: or redirect= */
  includes: string[];
  /** qualifier of the top-level `all` (or of the redirect's), `+` when none is written */
  all?: string;
  /** permanent errors (RFC 7208 §2.6.7): several records, an include without SPF */
  permerrors: string[];
  /** lookups that failed temporarily (timeout, SERVFAIL) */
  temperrors: string[];
  /** lookups that found nothing (RFC 7208 §4.6.4 allows 2) */
  voids: number;
  /** the record and everything it includes or redirects to */
  tree?: SpfNode;
}

function normal(d: string): string {
  return d.toLowerCase().replace(/\.$/, '');
}

/** Walks the SPF of `domain` and everything it includes or redirects to, counting DNS lookups. */
export async function walkSpf(domain: string, dns: DnsLookup): Promise<SpfWalk & { status: 'found' | 'none' | 'error'; error?: string }> {
  const walk: SpfWalk = { lookups: 0, includes: [], permerrors: [], temperrors: [], voids: 0 };
  const visiting = new Set<string>();

  const fetch = async (name: string): Promise<{ records: string[]; error?: string; status: string }> => {
    const r = await dns.txt(name);
    if (r.status !== 'ok' && r.status !== 'nodata' && r.status !== 'nxdomain') {
      return { records: [], status: r.status, error: `${name}: ${r.status}` };
    }
    return { records: r.records.filter((t) => SPF_RECORD.test(t.trim())), status: r.status };
  };

  const isVoid = (r: { status: string }): boolean => r.status === 'nxdomain' || r.status === 'nodata';
  const visit = async (name: string, top: boolean, parent?: SpfNode): Promise<void> => {
    if (walk.lookups > WALK_LIMIT) return;
    const key = normal(name);
    const node: SpfNode = { domain: key, includes: [] };
    if (parent) parent.includes.push(node);
    else walk.tree = node;
    if (visiting.has(key)) {
      walk.permerrors.push(`${key} includes itself (loop)`);
      node.problem = 'loop';
      return;
    }
    visiting.add(key);
    const { records, error, status } = await fetch(key);
    if (error) {
      walk.temperrors.push(error);
      node.problem = status;
      return;
    }
    if (records.length === 0) {
      node.problem = 'none';
      if (!top) {
        walk.permerrors.push(`${key} has no SPF record`);
        if (status === 'nxdomain' || status === 'nodata') walk.voids++;
      }
      return;
    }
    node.record = records[0]!.trim();
    if (records.length > 1) walk.permerrors.push(`${key} has ${records.length} SPF records (RFC 7208 §4.5 allows one)`);
    const record = records[0]!.trim();
    if (top) walk.record = record;
    const terms = record.split(/\s+/).slice(1);
    let redirect: string | undefined;
    let hasAll = false;
    const nested: string[] = [];
    const probes: Promise<void>[] = [];
    for (const term of terms) {
      const m = MECHANISM.exec(term);
      if (m) {
        const name = m[2]!.toLowerCase();
        if (COUNTED.has(name)) walk.lookups++;
        // a and mx query DNS too: an empty answer is a void lookup (RFC 7208 §4.6.4)
        if ((name === 'a' || name === 'mx') && !(m[3] ?? '').includes('%') && walk.lookups <= WALK_LIMIT) {
          const target = m[3] || key;
          probes.push((name === 'a' ? dns.a(target) : dns.mx(target)).then((r) => void (isVoid(r) && walk.voids++)));
        }
        if (name === 'all') {
          hasAll = true;
          if (top) walk.all = m[1] || '+';
        }
        if (name === 'include' && m[3]) nested.push(m[3]);
        continue;
      }
      const mod = MODIFIER.exec(term);
      if (mod && mod[1]!.toLowerCase() === 'redirect') {
        walk.lookups++;
        redirect = mod[2];
      }
    }
    await Promise.all(probes);
    for (const inc of nested) {
      if (inc.includes('%')) continue; // a macro: expanded per message, not countable here
      walk.includes.push(normal(inc));
      await visit(inc, false, node);
    }
    // RFC 7208 §6.1: redirect is ignored when the record has an `all`
    if (redirect && !hasAll && !redirect.includes('%')) {
      walk.includes.push(normal(redirect));
      await visit(redirect, false, node);
    }
    visiting.delete(key);
  };

  await visit(domain, true);
  const status = walk.record ? 'found' : walk.temperrors.length ? 'error' : 'none';
  return { ...walk, status, ...(walk.temperrors[0] && !walk.record ? { error: walk.temperrors[0] } : {}) };
}

/** `dns.spf`: the From domain's SPF exists, authorises the provider, and stays within 10 lookups. */
export const dnsSpf: Check = {
  meta: {
    id: 'dns.spf',
    title: 'SPF authorises the sender',
    description: "the From domain's SPF exists, authorises the provider's include, within RFC 7208's 10 DNS lookups",
    outcomes: {
      pass: 'one SPF record, within 10 DNS lookups, authorising the preset\'s include (e.g. `_spf.google.com`)',
      warn: '`+all`',
      fail: 'missing, several records, over 10 lookups (counted through `include:`/`redirect=`, RFC 7208 §4.6.4) or over 2 void lookups, the provider\'s include missing, a broken include',
      skip: 'no From address',
    },
    needs: ['dns'],
    groups: ['dns', 'spf'],
    benignSkips: ['domain-missing'],
    messages: {
      ok: '{{domain}} has SPF ({{lookups}}/10 DNS lookups)',
      'ok-include': '{{domain}} has SPF and authorises {{provider}} via include:{{include}} ({{lookups}}/10 DNS lookups)',
      missing: '{{domain}} has no SPF record, so receivers cannot tell your mail from forgeries',
      multiple: '{{domain}} publishes {{count}} SPF records; RFC 7208 §4.5 makes that a permanent error',
      'too-many-lookups': "{{domain}}'s SPF needs {{lookups}} DNS lookups; RFC 7208 §4.6.4 allows 10, receivers treat it as a permanent error",
      'include-missing': "{{domain}}'s SPF does not authorise {{provider}} (include:{{include}} is missing)",
      permerror: "{{domain}}'s SPF is broken: {{reason}}",
      'pass-all': "{{domain}}'s SPF ends in +all, which authorises every server on the internet",
      'too-many-voids': "{{domain}}'s SPF makes {{voids}} lookups that find nothing; RFC 7208 §4.6.4 allows 2, receivers treat more as a permanent error",
      failed: 'SPF lookup of {{domain}} failed: {{reason}}',
      ...DOMAIN_MESSAGES,
    },
    hints: {
      missing: 'publish a TXT record at the domain: "v=spf1 {{suggest}} ~all"',
      'include-missing': 'add include:{{include}} to the SPF record of {{domain}}',
      'too-many-lookups': 'flatten includes you do not need, or replace a/mx terms with ip4:/ip6:',
      multiple: 'merge them into one record',
      'too-many-voids': 'remove the include:, a or mx terms that name domains without records',
      'pass-all': 'end the record with ~all or -all',
    },
  },
  appliesTo: () => true,
  requires: () => [],
  shareKey: (ctx) => ctx.fromDomain && `${ctx.fromDomain} ${ctx.provider?.spfInclude ?? ''} ${ctx.provider?.name ?? ''}`,
  run: forFromDomain(async (ctx, domain): Promise<CheckOutcome> => {
    const started = performance.now();
    const w = await walkSpf(domain, ctx.probe.dns);
    const include = ctx.provider?.spfInclude;
    const provider = ctx.provider?.name ?? '';
    const data = { domain, lookups: w.lookups, provider, include: include ?? '', suggest: include ? `include:${include}` : 'ip4:<your server>' };
    const base = {
      details: { domain, record: w.record ?? null, lookups: w.lookups, voids: w.voids, includes: w.includes, tree: w.tree ?? null, all: w.all ?? null, permerrors: w.permerrors, temperrors: w.temperrors },
      durationMs: Math.round(performance.now() - started),
      data,
    };
    if (w.status === 'error') return { ...base, status: 'fail', messageId: 'failed', data: { ...data, reason: w.error ?? 'lookup failed' } };
    if (w.status === 'none') return { ...base, status: 'fail', messageId: 'missing', hintId: 'missing' };
    const multiple = w.permerrors.find((e) => e.startsWith(`${domain} has`) && e.includes('SPF records'));
    if (multiple) return { ...base, status: 'fail', messageId: 'multiple', hintId: 'multiple', data: { ...data, count: Number(/has (\d+)/.exec(multiple)?.[1] ?? 2) } };
    if (w.lookups > SPF_LOOKUP_LIMIT) return { ...base, status: 'fail', messageId: 'too-many-lookups', hintId: 'too-many-lookups' };
    if (w.voids > SPF_VOID_LIMIT) return { ...base, status: 'fail', messageId: 'too-many-voids', hintId: 'too-many-voids', data: { ...data, voids: w.voids } };
    if (include && !w.includes.includes(include.toLowerCase())) {
      return { ...base, status: 'fail', messageId: 'include-missing', hintId: 'include-missing' };
    }
    if (w.permerrors.length) return { ...base, status: 'fail', messageId: 'permerror', data: { ...data, reason: w.permerrors.join('; ') } };
    if (w.temperrors.length) return { ...base, status: 'warn', messageId: 'failed', data: { ...data, reason: w.temperrors.join('; ') } };
    if (w.all === '+') return { ...base, status: 'warn', messageId: 'pass-all', hintId: 'pass-all' };
    return { ...base, status: 'pass', messageId: include ? 'ok-include' : 'ok' };
  }),
};
