/** DNS records as mailcheck's checks see them, and the packets that ask for them (dns-packet). */
import { domainToASCII } from 'node:url';
import dnsPacket from 'dns-packet';
import type { Answer, DecodedPacket } from 'dns-packet';

export type RecordType = 'A' | 'AAAA' | 'MX' | 'TXT' | 'SRV' | 'TLSA' | 'PTR' | 'CNAME' | 'CAA';

/**
 * One record of the answer. Names carry no trailing dot, except the root: an MX `exchange` of
 * `.` is a null MX (RFC 7505) and an SRV `target` of `.` means "no such service" (RFC 2782).
 */
export type DnsAnswer =
  | { type: 'A' | 'AAAA'; address: string; ttl: number }
  | { type: 'MX'; priority: number; exchange: string; ttl: number }
  /** the strings of one TXT record, concatenated (RFC 7208 §3.3) */
  | { type: 'TXT'; text: string; ttl: number }
  | { type: 'SRV'; priority: number; weight: number; port: number; target: string; ttl: number }
  /** RFC 6698: certificate association data as lower-case hex */
  | { type: 'TLSA'; usage: number; selector: number; matchingType: number; data: string; ttl: number }
  | { type: 'PTR' | 'CNAME'; target: string; ttl: number }
  | { type: 'CAA'; flags: number; tag: string; value: string; ttl: number };

/**
 * `ok` records found · `nodata` the name exists without records of the type · `nxdomain` no
 * such name · `servfail`/`refused` the server's rcode · `timeout` no (matching) reply in time ·
 * `malformed` a reply that cannot be decoded or does not match the query · `error` anything
 * else (connection refused, invalid name, aborted, other rcodes).
 */
export type DnsStatus = 'ok' | 'nodata' | 'nxdomain' | 'servfail' | 'refused' | 'timeout' | 'malformed' | 'error';

/** the EDNS(0) buffer size of DNS flag day 2020 */
const EDNS_UDP_SIZE = 1232;

/** ASCII form of a name without the trailing dot, or undefined when it cannot be a domain name. */
export function normalName(name: string): string | undefined {
  const trimmed = String(name).trim().replace(/\.$/, '');
  if (trimmed === '' || /[\s\0]/.test(trimmed)) return undefined;
  // domainToASCII rejects what URL hosts reject; `_` labels (SRV, DMARC) are fine there
  const ascii = /^[\x21-\x7e]+$/.test(trimmed) ? trimmed.toLowerCase() : domainToASCII(trimmed);
  if (!ascii || ascii.length > 253) return undefined;
  if (ascii.split('.').some((l) => l.length === 0 || l.length > 63)) return undefined;
  return ascii;
}

const bare = (name: string | undefined): string => (name && name !== '.' ? name.replace(/\.$/, '') : '.');

/** The answer record as a {@link DnsAnswer}, when it is of the asked type. */
export function toAnswer(a: Answer, type: RecordType): DnsAnswer | undefined {
  if (a.type !== type) return undefined;
  const ttl = a.ttl ?? 0;
  switch (a.type) {
    case 'A':
    case 'AAAA':
      return { type: a.type, address: a.data, ttl };
    case 'MX':
      return { type: 'MX', priority: a.data.preference ?? 0, exchange: bare(a.data.exchange), ttl };
    case 'TXT': {
      const parts = Array.isArray(a.data) ? a.data : [a.data];
      return { type: 'TXT', text: parts.map((p) => (typeof p === 'string' ? p : p.toString('utf8'))).join(''), ttl };
    }
    case 'SRV':
      return { type: 'SRV', priority: a.data.priority ?? 0, weight: a.data.weight ?? 0, port: a.data.port, target: bare(a.data.target), ttl };
    case 'TLSA':
      return { type: 'TLSA', usage: a.data.usage, selector: a.data.selector, matchingType: a.data.matchingType, data: Buffer.from(a.data.certificate).toString('hex'), ttl };
    case 'PTR':
    case 'CNAME':
      return { type: a.type, target: bare(a.data), ttl };
    case 'CAA':
      return { type: 'CAA', flags: a.data.flags ?? 0, tag: a.data.tag, value: a.data.value, ttl };
    default:
      return undefined;
  }
}

/**
 * A recursive query with EDNS(0) and the AD bit set (RFC 6840 §5.7: a validating resolver then
 * says in its reply whether the answer was authenticated with DNSSEC).
 */
export function queryPacket(id: number, name: string, type: RecordType): Buffer {
  return dnsPacket.encode({
    type: 'query',
    id,
    flags: dnsPacket.RECURSION_DESIRED | dnsPacket.AUTHENTIC_DATA,
    questions: [{ type, name, class: 'IN' }],
    additionals: [{ name: '.', type: 'OPT', udpPayloadSize: EDNS_UDP_SIZE, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] }],
  });
}

/** Whether `p` answers our question (one of our ids, the same single question). */
export function matches(p: DecodedPacket, ids: ReadonlySet<number>, name: string, type: RecordType): boolean {
  const q = p.questions ?? [];
  return (
    p.type === 'response' &&
    ids.has(p.id ?? -1) &&
    q.length === 1 &&
    q[0]?.name.toLowerCase().replace(/\.$/, '') === name &&
    q[0]?.type === type &&
    (q[0]?.class ?? 'IN') === 'IN'
  );
}
