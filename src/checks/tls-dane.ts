import { tlsaVerdict } from '../deliverability/dane.ts';
import { presentedCertificates } from '../net/tls-inspect.ts';
import { isIP } from '../config/ip.ts';
import { encryptionOf, portOf } from '../config/profile-facts.ts';
import type { Check, CheckOutcome } from './types.ts';

/**
 * `tls.dane`: TLSA records at `_<port>._tcp.<host>` checked against the certificate the session
 * saw (RFC 6698, RFC 7671, RFC 7672). No second connection: the chain comes from the one SMTP
 * session of the profile.
 */
export const tlsDane: Check = {
  meta: {
    id: 'tls.dane',
    title: 'DANE (TLSA) matches',
    description: 'TLSA records at _<port>._tcp.<host> checked against the certificate seen in the session (RFC 6698/7671; usage 2/3, selector 0/1, matching 0/1/2)',
    outcomes: {
      pass: 'a usable TLSA record matches the presented certificate (`details.dnssec` says whether the resolver validated it)',
      fail: 'TLSA records exist but none matches, or none is usable for SMTP (usages 0/1, unknown selector or matching type)',
      skip: 'no TLSA records, the host is an address without `tls.servername`, the handshake did not happen',
    },
    needs: ['session', 'dns'],
    groups: ['tls', 'dane'],
    benignSkips: ['none', 'address'],
    messages: {
      ok: 'TLSA {{record}} at {{name}} matches the certificate{{dnssec}}',
      'no-match': 'none of the {{count}} TLSA records at {{name}} matches the certificate the server presented',
      unusable: 'the TLSA records at {{name}} use only usages or types SMTP cannot use (RFC 7672 §3.1.3)',
      none: 'no TLSA records at {{name}}',
      address: 'the host is an address: DANE needs a host name (set tls.servername)',
      'no-certificate': 'the session recorded no certificate',
      failed: 'TLSA lookup of {{name}} failed: {{reason}}',
    },
    hints: {
      'no-match': 'publish a TLSA record for the new certificate (e.g. "3 1 1 <SHA-256 of its public key>") before the rollover',
    },
  },
  appliesTo: (p) => p.transport === 'smtp' && encryptionOf(p) !== 'none',
  requires: () => ['tls.handshake'],
  async run(ctx): Promise<CheckOutcome> {
    const p = ctx.profile;
    const host = p.tls?.servername ?? p.host ?? '';
    if (isIP(host.replace(/^\[(.*)\]$/, '$1'))) return { status: 'skip', messageId: 'address' };
    const name = `_${portOf(p)}._tcp.${host.toLowerCase().replace(/\.$/, '')}`;
    const [t, tlsa] = await Promise.all([ctx.probe.smtp('tls'), ctx.probe.dns.tlsa(name)]);
    const base = { durationMs: tlsa.durationMs };
    if (tlsa.status !== 'ok' && tlsa.status !== 'nodata' && tlsa.status !== 'nxdomain') return { ...base, status: 'fail', messageId: 'failed', data: { name, reason: tlsa.message ?? tlsa.status } };
    if (tlsa.records.length === 0) return { ...base, status: 'skip', messageId: 'none', data: { name } };
    const chain = t.tls?.inspection ? presentedCertificates(t.tls.inspection) : [];
    if (chain.length === 0) return { ...base, status: 'skip', messageId: 'no-certificate' };
    const verdicts = tlsa.records.map((r) => ({ record: `${r.usage} ${r.selector} ${r.matchingType}`, verdict: tlsaVerdict(r, chain) }));
    const details = { name, dnssec: tlsa.authenticated ?? false, records: verdicts };
    const hit = verdicts.find((v) => v.verdict === 'match');
    if (hit) return { ...base, status: 'pass', messageId: 'ok', data: { record: hit.record, name, dnssec: tlsa.authenticated ? ' (DNSSEC-validated)' : ' (not DNSSEC-validated by this resolver)' }, details };
    if (verdicts.every((v) => v.verdict === 'unusable')) return { ...base, status: 'fail', messageId: 'unusable', data: { name }, details };
    return { ...base, status: 'fail', messageId: 'no-match', hintId: 'no-match', data: { name, count: tlsa.records.length }, details };
  },
};
