/**
 * The sandbox's DNS data, apart from the responder that serves it (dns-server.ts): the record
 * type, the zone the sandbox publishes for its domain, and the lookup over a set of records.
 */
import { isIPv6 } from '../config/ip.ts';
import type { Answer } from 'dns-packet';

const DEFAULT_TTL = 300;

/** A record the responder serves. Names are absolute, without the trailing dot. */
export type DnsRecord = { name: string; ttl?: number } & (
  | { type: 'A' | 'AAAA'; address: string }
  | { type: 'MX'; priority: number; exchange: string }
  /** several strings make one record (RFC 7208 §3.3 joins them) */
  | { type: 'TXT'; text: string | string[] }
  | { type: 'SRV'; priority: number; weight: number; port: number; target: string }
  | { type: 'CNAME' | 'PTR'; target: string }
  /** RFC 6698; `data` is the association data in hex */
  | { type: 'TLSA'; usage: number; selector: number; matchingType: number; data: string }
);

export function normal(name: string): string {
  return name.trim().toLowerCase().replace(/\.+$/, '');
}

function isWithin(name: string, zone: string): boolean {
  return zone === '' || name === zone || name.endsWith(`.${zone}`);
}

export function toAnswer(r: DnsRecord): Answer {
  const base = { name: r.name, ttl: r.ttl ?? DEFAULT_TTL, class: 'IN' as const };
  switch (r.type) {
    case 'A':
    case 'AAAA':
      return { ...base, type: r.type, data: r.address };
    case 'MX':
      return { ...base, type: 'MX', data: { preference: r.priority, exchange: r.exchange } };
    case 'TXT':
      return { ...base, type: 'TXT', data: Array.isArray(r.text) ? r.text : [r.text] };
    case 'SRV':
      return { ...base, type: 'SRV', data: { priority: r.priority, weight: r.weight, port: r.port, target: r.target } };
    case 'CNAME':
    case 'PTR':
      return { ...base, type: r.type, data: r.target };
    case 'TLSA':
      return { ...base, type: 'TLSA', data: { usage: r.usage, selector: r.selector, matchingType: r.matchingType, certificate: Buffer.from(r.data, 'hex') } };
  }
}

/**
 * The sandbox's zone (RFC 6186/8314 SRV for submission, MX, SPF, DMARC), pointing at its
 * listeners.
 */
export function sandboxZone(domain: string, host: string, ports: { ssl: number; starttls: number }): DnsRecord[] {
  const smtp = `smtp.${domain}`;
  const v4 = isIPv6(host) ? '127.0.0.1' : host;
  const spf = isIPv6(host) ? `v=spf1 ip4:${v4} ip6:${host} -all` : `v=spf1 ip4:${v4} -all`;
  return [
    { name: domain, type: 'MX', priority: 10, exchange: smtp },
    { name: domain, type: 'TXT', text: spf },
    { name: smtp, type: 'A', address: v4 },
    { name: smtp, type: 'AAAA', address: '::1' },
    { name: `_dmarc.${domain}`, type: 'TXT', text: 'v=DMARC1; p=none' },
    { name: `_submission._tcp.${domain}`, type: 'SRV', priority: 0, weight: 1, port: ports.starttls, target: smtp },
    { name: `_submissions._tcp.${domain}`, type: 'SRV', priority: 0, weight: 1, port: ports.ssl, target: smtp },
  ];
}

/** The server's data and the lookup over it. */
export class ZoneData {
  private readonly byName = new Map<string, DnsRecord[]>();
  private readonly zones = new Set<string>();

  add(records: DnsRecord[]): void {
    for (const r of records) {
      const name = normal(r.name);
      const list = this.byName.get(name) ?? [];
      list.push({ ...r, name });
      this.byName.set(name, list);
    }
  }

  addZone(zone: string): void {
    this.zones.add(normal(zone));
  }

  zoneOf(name: string): string | undefined {
    let best: string | undefined;
    for (const z of this.zones) if (isWithin(name, z) && (best === undefined || z.length > best.length)) best = z;
    return best;
  }

  /** a name exists when it has records or is an empty non-terminal above some (RFC 8020) */
  exists(name: string): boolean {
    if (this.byName.has(name)) return true;
    for (const n of this.byName.keys()) if (n.endsWith(`.${name}`)) return true;
    return false;
  }

  lookup(name: string, type: string): DnsRecord[] {
    const here = this.byName.get(name) ?? [];
    const direct = here.filter((r) => r.type === type);
    if (direct.length > 0 || type === 'CNAME') return direct;
    const cname = here.find((r) => r.type === 'CNAME');
    if (!cname || cname.type !== 'CNAME') return [];
    return [cname, ...(this.byName.get(normal(cname.target)) ?? []).filter((r) => r.type === type)];
  }
}

export function soaFor(zone: string): Answer {
  return {
    name: zone,
    type: 'SOA',
    ttl: DEFAULT_TTL,
    class: 'IN',
    data: { mname: `ns.${zone}`, rname: `hostmaster.${zone}`, serial: 1, refresh: 3600, retry: 600, expire: 86400, minimum: 60 },
  };
}


/** What the sandbox publishes so that every deliverability check passes against it. */
export interface DeliverabilityZone {
  /** the DKIM selector and its RSA public key (SPKI DER, base64) */
  dkim: { selector: string; publicKey: string };
  /** `_<port>._tcp.smtp.<domain>` TLSA 3 1 1 records: SHA-256 of the server certificate's SPKI */
  tlsa: { port: number; spkiSha256: string }[];
  /** the MTA-STS policy id */
  mtaStsId: string;
}

/**
 * DKIM, MTA-STS, TLS-RPT, TLSA, PTR and BIMI for the sandbox's domain (the deliverability checks
 * of SPEC §8), and DMARC with relaxed alignment.
 */
export function deliverabilityZone(domain: string, host: string, z: DeliverabilityZone): DnsRecord[] {
  const smtp = `smtp.${domain}`;
  const v4 = isIPv6(host) ? '127.0.0.1' : host;
  return [
    { name: `${z.dkim.selector}._domainkey.${domain}`, type: 'TXT', text: splitTxt(`v=DKIM1; k=rsa; p=${z.dkim.publicKey}`) },
    { name: `_mta-sts.${domain}`, type: 'TXT', text: `v=STSv1; id=${z.mtaStsId}` },
    { name: `mta-sts.${domain}`, type: 'A', address: v4 },
    { name: `_smtp._tls.${domain}`, type: 'TXT', text: `v=TLSRPTv1; rua=mailto:tls-reports@${domain}` },
    { name: `default._bimi.${domain}`, type: 'TXT', text: `v=BIMI1; l=https://${domain}/bimi/logo.svg` },
    { name: `${v4.split('.').reverse().join('.')}.in-addr.arpa`, type: 'PTR', target: smtp },
    ...z.tlsa.map((t): DnsRecord => ({ name: `_${t.port}._tcp.${smtp}`, type: 'TLSA', usage: 3, selector: 1, matchingType: 1, data: t.spkiSha256 })),
  ];
}

/** A TXT value as strings of at most 255 bytes (RFC 1035 §3.3.14). */
function splitTxt(text: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += 255) out.push(text.slice(i, i + 255));
  return out;
}
