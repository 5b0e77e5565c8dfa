import { encryptionOf, portOf } from '../config/profile-facts.ts';
import { DOMAIN_MESSAGES, forFromDomain } from './deliverability-common.ts';
import type { Check, CheckOutcome, SrvRecord } from './types.ts';

/** RFC 8314 §5.1 (implicit TLS) and RFC 6186 §3.1 (STARTTLS) submission services. */
const SERVICES = [
  { name: '_submissions._tcp', encryption: 'ssl' },
  { name: '_submission._tcp', encryption: 'starttls' },
] as const;

const normal = (d: string): string => d.toLowerCase().replace(/\.$/, '');

/** `dns.srv`: what the From domain advertises for mail submission, compared with the profile (informational). */
export const dnsSrv: Check = {
  meta: {
    id: 'dns.srv',
    title: 'submission SRV records',
    description: "RFC 6186/8314 SRV records of the From domain, compared with the profile (informational: pass or warn)",
    outcomes: {
      pass: '`_submissions._tcp` / `_submission._tcp` (RFC 8314/6186) match the profile, or there are none',
      warn: 'they name another server, port or encryption, or say "."',
    },
    needs: ['dns'],
    groups: ['dns', 'srv'],
    benignSkips: ['domain-missing'],
    messages: {
      match: '{{domain}} advertises {{matched}} for submission, which is what the profile uses',
      none: '{{domain}} publishes no submission SRV records (optional, RFC 6186)',
      differs: '{{domain}} advertises {{advertised}}; the profile uses {{host}}:{{port}} ({{encryption}})',
      'not-offered': '{{domain}} says it offers no submission service (SRV target ".")',
      failed: 'SRV lookup for {{domain}} failed: {{reason}}',
      ...DOMAIN_MESSAGES,
    },
    hints: {
      differs: 'if the domain owner publishes the right server, consider using it (mailcheck init --domain {{domain}})',
    },
  },
  appliesTo: (p) => p.transport === 'smtp',
  requires: () => [],
  shareKey: (ctx) => ctx.fromDomain && `${ctx.fromDomain} ${ctx.profile.host ?? ''} ${portOf(ctx.profile)} ${encryptionOf(ctx.profile)}`,
  run: forFromDomain(async (ctx, domain): Promise<CheckOutcome> => {
    const started = performance.now();
    const answers = await Promise.all(SERVICES.map((s) => ctx.probe.dns.srv(`${s.name}.${domain}`)));
    const durationMs = Math.round(performance.now() - started);
    const found: (SrvRecord & { service: string; encryption: string })[] = [];
    const errors: string[] = [];
    answers.forEach((a, i) => {
      const svc = SERVICES[i]!;
      if (a.status === 'ok') for (const r of a.records) found.push({ ...r, service: svc.name, encryption: svc.encryption });
      else if (a.status !== 'nodata' && a.status !== 'nxdomain') errors.push(`${svc.name}.${domain}: ${a.status}`);
    });
    found.sort((a, b) => a.priority - b.priority || b.weight - a.weight);
    const p = ctx.profile;
    const host = normal(p.host ?? '');
    const port = portOf(p);
    const encryption = encryptionOf(p);
    const details = { domain, records: found };
    const usable = found.filter((r) => normal(r.target) !== '' && normal(r.target) !== '.');
    const advertised = usable.map((r) => `${normal(r.target)}:${r.port} (${r.encryption})`).join(', ');
    const data = { domain, advertised, host, port, encryption };
    if (errors.length && !found.length) return { status: 'warn', messageId: 'failed', data: { ...data, reason: errors.join('; ') }, details, durationMs };
    if (!found.length) return { status: 'pass', messageId: 'none', data, details, durationMs };
    if (!usable.length) return { status: 'warn', messageId: 'not-offered', data, details, durationMs };
    const same = usable.filter((r) => r.port === port && r.encryption === encryption);
    let match = same.find((r) => normal(r.target) === host);
    if (!match && same.length) {
      // the same server under another name: compare addresses
      const mine = new Set((await ctx.probe.host()).addresses);
      for (const r of same) {
        const [a, aaaa] = await Promise.all([ctx.probe.dns.a(normal(r.target)), ctx.probe.dns.aaaa(normal(r.target))]);
        if (!match && [...a.records, ...aaaa.records].some((ip) => mine.has(ip))) match = r;
      }
    }
    if (match) {
      const matched = `${normal(match.target)}:${match.port} (${match.encryption})`;
      return { status: 'pass', messageId: 'match', data: { ...data, matched }, details, durationMs };
    }
    return { status: 'warn', messageId: 'differs', hintId: 'differs', data, details, durationMs };
  }),
};
