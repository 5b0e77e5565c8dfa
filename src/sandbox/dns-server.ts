import { createSocket, type RemoteInfo, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Socket } from 'node:net';
import { isIPv6 } from '../config/ip.ts';
import dnsPacket from 'dns-packet';
import type { Answer, DecodedPacket, Packet, Question } from 'dns-packet';
import { bindUdp, closeServer, listenOn, loopbackHost } from './listen.ts';
import type { Endpoint } from './types.ts';
import { normal, soaFor, toAnswer, ZoneData, type DnsRecord } from './zone.ts';

export { sandboxZone, type DnsRecord } from './zone.ts';

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
const TCP_IDLE_MS = 10_000;

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
