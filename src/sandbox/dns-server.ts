import { createSocket, type RemoteInfo, type Socket as UdpSocket } from 'node:dgram';
import { createServer, isIPv6, type Socket } from 'node:net';
import dnsPacket from 'dns-packet';
import type { Answer, DecodedPacket, Packet, Question } from 'dns-packet';
import { bindUdp, closeServer, listenOn, loopbackHost } from './listen.ts';
import type { Endpoint } from './types.ts';

/** A record the responder serves. Names are absolute, without the trailing dot. */
export type DnsRecord = { name: string; ttl?: number } & (
  | { type: 'A' | 'AAAA'; address: string }
  | { type: 'MX'; priority: number; exchange: string }
  /** several strings make one record (RFC 7208 §3.3 joins them) */
  | { type: 'TXT'; text: string | string[] }
  | { type: 'SRV'; priority: number; weight: number; port: number; target: string }
  | { type: 'CNAME'; target: string }
);

/**
 * Misbehaviour for DNS client tests:
 * - `truncate`: UDP answers carry TC and no records; TCP answers in full
 * - `wrong-id`: the reply's id differs from the query's
 * - `wrong-id-then-answer`: a reply with a wrong id, then the right reply
 * - `wrong-question`: the right id, but another name in the question
 * - `malformed`: the right id, then bytes that do not decode
 * - `servfail` / `refused`: that rcode
 * - `silence`: no reply at all (UDP and TCP)
 */
export type DnsFaultMode =
  | 'truncate'
  | 'wrong-id'
  | 'wrong-id-then-answer'
  | 'wrong-question'
  | 'malformed'
  | 'servfail'
  | 'refused'
  | 'silence';

export interface DnsQueryInfo {
  name: string;
  type: string;
  transport: 'udp' | 'tcp';
  id: number;
}

export interface DnsServerOptions {
  /** loopback address @default '127.0.0.1' */
  host?: string;
  /** UDP and TCP port; 0 = random free port (the same for both) @default 0 */
  port?: number;
  records?: DnsRecord[];
  /**
   * zones the server is authoritative for: an unknown name inside one is NXDOMAIN. Names of
   * records are answerable even outside these zones.
   */
  zones?: string[];
  /** the rcode for a name outside every zone @default 'refused' */
  outside?: 'refused' | 'nxdomain';
  /** a fault for every query, or chosen per query */
  fault?: DnsFaultMode | ((q: DnsQueryInfo) => DnsFaultMode | undefined);
  log?: (line: string) => void;
}

export interface DnsServer {
  endpoint: Endpoint;
  /** every question received, in order */
  queries: DnsQueryInfo[];
  addRecords(records: DnsRecord[]): void;
  addZone(zone: string): void;
  setFault(fault: DnsServerOptions['fault']): void;
  close(): Promise<void>;
}

const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;
/** RFC 1035 §4.2.1 without EDNS; RFC 8914-era advice for the EDNS buffer (DNS flag day 2020) */
const UDP_PLAIN_LIMIT = 512;
const UDP_EDNS_LIMIT = 1232;
const DEFAULT_TTL = 300;
const TCP_IDLE_MS = 10_000;

function normal(name: string): string {
  return name.trim().toLowerCase().replace(/\.+$/, '');
}

function isWithin(name: string, zone: string): boolean {
  return zone === '' || name === zone || name.endsWith(`.${zone}`);
}

function toAnswer(r: DnsRecord): Answer {
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
      return { ...base, type: 'CNAME', data: r.target };
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
class ZoneData {
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

function soaFor(zone: string): Answer {
  return {
    name: zone,
    type: 'SOA',
    ttl: DEFAULT_TTL,
    class: 'IN',
    data: { mname: `ns.${zone}`, rname: `hostmaster.${zone}`, serial: 1, refresh: 3600, retry: 600, expire: 86400, minimum: 60 },
  };
}

interface Reply {
  /** datagrams or TCP messages to send, in order (raw, unframed) */
  messages: Buffer[];
}

/**
 * A small authoritative DNS responder (dns-packet) on UDP and TCP (2-byte length framing,
 * RFC 1035 §4.2.2 / RFC 7766) on the same loopback port, with optional faults for tests.
 */
export async function startDnsServer(options: DnsServerOptions = {}): Promise<DnsServer> {
  const host = loopbackHost(options.host);
  const data = new ZoneData();
  data.add(options.records ?? []);
  for (const z of options.zones ?? []) data.addZone(z);
  const outside = options.outside ?? 'refused';
  let fault = options.fault;
  const queries: DnsQueryInfo[] = [];
  const log = options.log ?? ((): void => {});

  function answer(query: DecodedPacket, transport: 'udp' | 'tcp', raw: Buffer): Reply {
    const id = query.id ?? 0;
    const questions = query.questions ?? [];
    const q: Question | undefined = questions[0];
    const respond = (rcode: number, extra: Partial<Packet> = {}): Packet => ({
      type: 'response',
      id,
      flags: dnsPacket.AUTHORITATIVE_ANSWER | ((query.flags ?? 0) & dnsPacket.RECURSION_DESIRED) | rcode,
      questions,
      ...extra,
    });
    const edns = (query.additionals ?? []).find((a) => a.type === 'OPT');
    const opt: Answer[] = edns
      ? [{ name: '.', type: 'OPT', udpPayloadSize: UDP_EDNS_LIMIT, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] }]
      : [];
    if (query.type !== 'query' || questions.length !== 1 || !q) {
      return { messages: [dnsPacket.encode(respond(RCODE.FORMERR, { additionals: opt }))] };
    }
    const name = normal(q.name);
    const info: DnsQueryInfo = { name, type: q.type, transport, id };
    queries.push(info);
    const mode = typeof fault === 'function' ? fault(info) : fault;
    log(`[dns] ${transport} ${q.type} ${name}${mode ? ` (fault: ${mode})` : ''}`);

    let packet: Packet;
    if ((q.class ?? 'IN') !== 'IN') {
      packet = respond(RCODE.REFUSED, { additionals: opt });
    } else {
      const zone = data.zoneOf(name);
      const records = data.lookup(name, q.type);
      if (records.length > 0) {
        packet = respond(RCODE.NOERROR, { answers: records.map(toAnswer), additionals: opt });
      } else if (data.exists(name)) {
        packet = respond(RCODE.NOERROR, { authorities: zone !== undefined ? [soaFor(zone)] : [], additionals: opt });
      } else if (zone !== undefined) {
        packet = respond(RCODE.NXDOMAIN, { authorities: [soaFor(zone)], additionals: opt });
      } else {
        packet = respond(outside === 'nxdomain' ? RCODE.NXDOMAIN : RCODE.REFUSED, { additionals: opt });
      }
    }

    const limit = transport === 'tcp' ? 65535 : edns && 'udpPayloadSize' in edns ? Math.max(UDP_PLAIN_LIMIT, Math.min(edns.udpPayloadSize, UDP_EDNS_LIMIT)) : UDP_PLAIN_LIMIT;
    const truncated = (): Buffer =>
      dnsPacket.encode({ ...packet, flags: (packet.flags ?? 0) | dnsPacket.TRUNCATED_RESPONSE, answers: [], authorities: [] });
    switch (mode) {
      case 'silence':
        return { messages: [] };
      case 'servfail':
        return { messages: [dnsPacket.encode(respond(RCODE.SERVFAIL, { additionals: opt }))] };
      case 'refused':
        return { messages: [dnsPacket.encode(respond(RCODE.REFUSED, { additionals: opt }))] };
      case 'wrong-id':
        return { messages: [dnsPacket.encode({ ...packet, id: (id + 1) & 0xffff })] };
      case 'wrong-id-then-answer':
        return { messages: [dnsPacket.encode({ ...packet, id: (id + 1) & 0xffff }), dnsPacket.encode(packet)] };
      case 'wrong-question':
        return { messages: [dnsPacket.encode({ ...packet, questions: [{ ...q, name: 'wrong.invalid' }] })] };
      case 'malformed': {
        // the query's id and a response header that promises a question, then nothing
        const bad = Buffer.alloc(14);
        raw.copy(bad, 0, 0, 2);
        bad.writeUInt16BE(0x8400, 2);
        bad.writeUInt16BE(1, 4);
        bad.writeUInt16BE(3, 6);
        bad.write('\x07garb', 12, 'latin1');
        return { messages: [bad] };
      }
      case 'truncate':
        return { messages: [transport === 'udp' ? truncated() : dnsPacket.encode(packet)] };
      default: {
        const full = dnsPacket.encode(packet);
        return { messages: [full.length > limit ? truncated() : full] };
      }
    }
  }

  function handle(raw: Buffer, transport: 'udp' | 'tcp'): Reply {
    let query: DecodedPacket;
    try {
      query = dnsPacket.decode(raw);
    } catch {
      if (raw.length < 12) return { messages: [] };
      // RFC 1035 §4.1.1: FORMERR with the query's id, header only
      const formerr = Buffer.alloc(12);
      raw.copy(formerr, 0, 0, 2);
      formerr.writeUInt16BE(0x8000 | RCODE.FORMERR, 2);
      return { messages: [formerr] };
    }
    return answer(query, transport, raw);
  }

  // UDP and TCP must share the port: with a random port, bind UDP first and retry on a clash
  const udpType = isIPv6(host) ? 'udp6' : 'udp4';
  let udp: UdpSocket | undefined;
  let port = options.port ?? 0;
  const tcpSockets = new Set<Socket>();
  const tcp = createServer((socket) => {
    tcpSockets.add(socket);
    socket.setTimeout(TCP_IDLE_MS, () => socket.destroy());
    socket.on('error', () => {});
    socket.on('close', () => tcpSockets.delete(socket));
    let buffered = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 2) {
        const len = buffered.readUInt16BE(0);
        if (buffered.length < 2 + len) break;
        const raw = buffered.subarray(2, 2 + len);
        buffered = buffered.subarray(2 + len);
        for (const m of handle(raw, 'tcp').messages) {
          const framed = Buffer.alloc(2 + m.length);
          framed.writeUInt16BE(m.length, 0);
          m.copy(framed, 2);
          if (!socket.destroyed) socket.write(framed);
        }
      }
    });
  });
  for (let attempt = 0; ; attempt++) {
    const sock = createSocket({ type: udpType, reuseAddr: false });
    let bound: { port: number };
    try {
      bound = await bindUdp(sock, host, port, 'DNS (udp)');
    } catch (err) {
      sock.close();
      throw err;
    }
    try {
      await listenOn(tcp, host, bound.port, 'DNS (tcp)');
      udp = sock;
      port = bound.port;
      break;
    } catch (err) {
      sock.close();
      if ((options.port ?? 0) !== 0 || attempt >= 20) throw err;
    }
  }
  const udpSocket = udp;
  udpSocket.on('error', () => {});
  udpSocket.on('message', (msg: Buffer, rinfo: RemoteInfo) => {
    for (const m of handle(msg, 'udp').messages) udpSocket.send(m, rinfo.port, rinfo.address);
  });

  let closed: Promise<void> | undefined;
  return {
    endpoint: { host, port },
    queries,
    addRecords: (records) => data.add(records),
    addZone: (zone) => data.addZone(zone),
    setFault: (f) => {
      fault = f;
    },
    close() {
      closed ??= Promise.all([
        closeServer(tcp, tcpSockets),
        new Promise<void>((resolve) => udpSocket.close(() => resolve())),
      ]).then(() => undefined);
      return closed;
    },
  };
}
