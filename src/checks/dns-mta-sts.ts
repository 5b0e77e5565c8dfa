import { mxMatches, parseMtaStsPolicy, parseMtaStsTxt } from '../deliverability/mta-sts.ts';
import { DOMAIN_MESSAGES, forFromDomain } from './deliverability-common.ts';
import type { Check, CheckOutcome } from './types.ts';

/** RFC 8461 §3.3: policy bodies are small; a cap keeps a hostile server from feeding us. */
const MAX_POLICY_BYTES = 64 * 1024;

/** `dns.mta-sts`: RFC 8461 record and policy, and whether the policy covers the domain's MX hosts. */
export const dnsMtaSts: Check = {
  meta: {
    id: 'dns.mta-sts',
    title: 'MTA-STS policy',
    description: 'RFC 8461: the _mta-sts TXT record, the policy fetched over verified TLS from https://mta-sts.<domain>/.well-known/mta-sts.txt, its syntax and mode, and whether its mx: patterns cover the MX hosts',
    outcomes: {
      pass: 'a valid record and policy in `enforce` or `testing` mode whose `mx:` patterns cover every MX host',
      warn: 'no MTA-STS (senders may deliver to you without TLS), `mode: none`',
      fail: 'a broken record, a policy that cannot be fetched (TLS, 404, redirect, not a policy), a policy whose `mx:` misses an MX host',
      skip: 'no From address, the From domain does not exist',
    },
    needs: ['dns'],
    groups: ['dns', 'mta-sts', 'deliverability'],
    benignSkips: ['domain-missing'],
    messages: {
      ok: '{{domain}} has an MTA-STS policy in {{mode}} mode covering {{mx}}',
      none: '{{domain}} publishes no MTA-STS record',
      'mode-none': "{{domain}}'s MTA-STS policy is in mode none: it is being withdrawn",
      'bad-record': 'the _mta-sts.{{domain}} record is broken: {{reason}}',
      'several-records': '_mta-sts.{{domain}} has {{count}} STSv1 records; RFC 8461 §3.1 then ignores them',
      fetch: 'the MTA-STS policy of {{domain}} cannot be fetched from {{url}}: {{reason}}',
      'bad-policy': 'the MTA-STS policy at {{url}} is broken: {{reason}}',
      uncovered: "{{domain}}'s MTA-STS policy does not cover its MX host {{host}} (mx: {{patterns}}): senders enforcing it will not deliver there",
      failed: 'MTA-STS lookup of {{domain}} failed: {{reason}}',
      ...DOMAIN_MESSAGES,
    },
    hints: {
      none: 'publish _mta-sts.{{domain}} TXT "v=STSv1; id=<date>" and the policy at https://mta-sts.{{domain}}/.well-known/mta-sts.txt',
      uncovered: 'add "mx: {{host}}" to the policy and change the id= of the TXT record',
      fetch: 'serve the policy with status 200 over a certificate valid for mta-sts.{{domain}}, without redirects',
    },
  },
  appliesTo: () => true,
  requires: () => [],
  shareKey: (ctx) => ctx.fromDomain,
  run: forFromDomain(async (ctx, domain): Promise<CheckOutcome> => {
    const started = performance.now();
    const took = () => Math.round(performance.now() - started);
    const txt = await ctx.probe.dns.txt(`_mta-sts.${domain}`);
    if (txt.status !== 'ok' && txt.status !== 'nodata' && txt.status !== 'nxdomain') {
      return { status: 'fail', messageId: 'failed', data: { domain, reason: txt.message ?? txt.status }, durationMs: took() };
    }
    const records = txt.records.filter((t) => /^v=STSv1/i.test(t.trim()));
    if (records.length === 0) return { status: 'warn', messageId: 'none', hintId: 'none', data: { domain }, durationMs: took() };
    if (records.length > 1) return { status: 'fail', messageId: 'several-records', data: { domain, count: records.length }, durationMs: took() };
    const record = parseMtaStsTxt(records[0]!);
    if ('error' in record) return { status: 'fail', messageId: 'bad-record', data: { domain, reason: record.error }, durationMs: took() };
    const url = new URL(`https://mta-sts.${domain}/.well-known/mta-sts.txt`);
    const [got, mx] = await Promise.all([ctx.https(url, MAX_POLICY_BYTES), ctx.probe.dns.mx(domain)]);
    const details: Record<string, unknown> = { domain, id: record.id, url: url.href };
    if (!got.ok) return { status: 'fail', messageId: 'fetch', hintId: 'fetch', data: { domain, url: url.href, reason: got.message }, details, durationMs: took() };
    if (!/^text\/plain\b/i.test(got.contentType)) {
      return { status: 'fail', messageId: 'bad-policy', data: { domain, url: url.href, reason: `served as ${got.contentType || 'no content type'}, not text/plain` }, details, durationMs: took() };
    }
    const policy = parseMtaStsPolicy(got.body);
    if ('error' in policy) return { status: 'fail', messageId: 'bad-policy', data: { domain, url: url.href, reason: policy.error }, details, durationMs: took() };
    Object.assign(details, { mode: policy.mode, mx: policy.mx, maxAge: policy.maxAge });
    if (policy.mode === 'none') return { status: 'warn', messageId: 'mode-none', data: { domain }, details, durationMs: took() };
    const hosts = mx.records.map((r) => r.exchange).filter((h) => h !== '.');
    const uncovered = hosts.find((h) => !policy.mx.some((p) => mxMatches(p, h)));
    if (uncovered) {
      return { status: 'fail', messageId: 'uncovered', hintId: 'uncovered', data: { domain, host: uncovered, patterns: policy.mx.join(', ') }, details, durationMs: took() };
    }
    return { status: 'pass', messageId: 'ok', data: { domain, mode: policy.mode, mx: hosts.join(', ') || 'no MX' }, details, durationMs: took() };
  }),
};
