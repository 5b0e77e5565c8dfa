import { createSocket } from 'node:dgram';
import { createConnection } from 'node:net';
import dnsPacket from 'dns-packet';
import type { DecodedPacket, Packet } from 'dns-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDnsServer, type DnsServer } from '../../src/sandbox/index.ts';

type Decoded = DecodedPacket & { rcode?: string };

const dataOf = (a: unknown): unknown => (a as { data?: unknown } | undefined)?.data;

function udpExchange(port: number, payload: Buffer): Promise<Decoded> {
  return new Promise((resolve, reject) => {
    const s = createSocket('udp4');
    const timer = setTimeout(() => {
      s.close();
      reject(new Error('no reply'));
    }, 2000);
    s.on('message', (msg) => {
      clearTimeout(timer);
      s.close();
      resolve(dnsPacket.decode(msg) as Decoded);
    });
    s.send(payload, port, '127.0.0.1');
  });
}

function query(name: string, type: 'A' | 'TXT' | 'MX' | 'CNAME', id = 42, edns = false): Packet {
  return {
    type: 'query',
    id,
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ name, type, class: 'IN' }],
    ...(edns
      ? { additionals: [{ name: '.', type: 'OPT' as const, udpPayloadSize: 4096, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] }] }
      : {}),
  };
}

describe('sandbox DNS responder', () => {
  let dns: DnsServer;
  beforeAll(async () => {
    dns = await startDnsServer({
      zones: ['zone.test'],
      records: [
        { name: 'www.zone.test', type: 'CNAME', target: 'host.zone.test' },
        { name: 'host.zone.test', type: 'A', address: '127.0.0.5' },
        { name: 'outside.example', type: 'A', address: '127.0.0.6' },
      ],
    });
  });
  afterAll(async () => {
    await dns.close();
  });

  it('answers authoritatively, echoing id, question and RD', async () => {
    const r = await udpExchange(dns.endpoint.port, dnsPacket.encode(query('host.zone.test', 'A', 777)));
    expect(r).toMatchObject({ id: 777, type: 'response', flag_aa: true, flag_rd: true, flag_tc: false, rcode: 'NOERROR' });
    expect(r.questions).toEqual([{ name: 'host.zone.test', type: 'A', class: 'IN' }]);
    expect(r.answers?.map(dataOf)).toEqual(['127.0.0.5']);
  });

  it('follows a CNAME inside its data', async () => {
    const r = await udpExchange(dns.endpoint.port, dnsPacket.encode(query('www.zone.test', 'A')));
    expect(r.answers?.map((a) => [a.type, dataOf(a)])).toEqual([
      ['CNAME', 'host.zone.test'],
      ['A', '127.0.0.5'],
    ]);
  });

  it('gives NXDOMAIN with the SOA inside a zone, answers added names outside it, and refuses the rest', async () => {
    const nx = await udpExchange(dns.endpoint.port, dnsPacket.encode(query('nope.zone.test', 'A')));
    expect(nx.rcode).toBe('NXDOMAIN');
    expect(nx.authorities?.[0]).toMatchObject({ type: 'SOA', name: 'zone.test' });
    const outside = await udpExchange(dns.endpoint.port, dnsPacket.encode(query('outside.example', 'A')));
    expect(dataOf(outside.answers?.[0])).toBe('127.0.0.6');
    const refused = await udpExchange(dns.endpoint.port, dnsPacket.encode(query('example.com', 'A')));
    expect(refused.rcode).toBe('REFUSED');
  });

  it('answers FORMERR to a query it cannot decode', async () => {
    const junk = Buffer.from([0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x3f, 0x61]);
    const r = await udpExchange(dns.endpoint.port, junk);
    expect(r).toMatchObject({ id: 0x1234, rcode: 'FORMERR' });
  });

  it('echoes EDNS(0) with its own buffer size', async () => {
    const r = await udpExchange(dns.endpoint.port, dnsPacket.encode(query('host.zone.test', 'A', 1, true)));
    const opt = r.additionals?.find((a) => a.type === 'OPT');
    expect(opt).toMatchObject({ udpPayloadSize: 1232 });
  });

  it('serves several framed queries over one TCP connection', async () => {
    const replies = await new Promise<Decoded[]>((resolve, reject) => {
      const s = createConnection(dns.endpoint.port, '127.0.0.1');
      const got: Decoded[] = [];
      let buf = Buffer.alloc(0);
      s.on('data', (d: Buffer) => {
        buf = Buffer.concat([buf, d]);
        while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
          got.push(dnsPacket.decode(buf.subarray(2, 2 + buf.readUInt16BE(0))) as Decoded);
          buf = buf.subarray(2 + buf.readUInt16BE(0));
        }
        if (got.length === 2) {
          s.destroy();
          resolve(got);
        }
      });
      s.on('error', reject);
      // both queries in one write, the second split from its length prefix on purpose
      const a = dnsPacket.streamEncode(query('host.zone.test', 'A', 1));
      const b = dnsPacket.streamEncode(query('nope.zone.test', 'A', 2));
      s.write(Buffer.concat([a, b.subarray(0, 1)]));
      setTimeout(() => s.write(b.subarray(1)), 20);
    });
    expect(replies.map((r) => [r.id, r.rcode])).toEqual([
      [1, 'NOERROR'],
      [2, 'NXDOMAIN'],
    ]);
    expect(dns.queries.slice(-2).map((q) => q.transport)).toEqual(['tcp', 'tcp']);
  });

  it('answers NXDOMAIN outside its zones when told to', async () => {
    const open = await startDnsServer({ outside: 'nxdomain' });
    try {
      const r = await udpExchange(open.endpoint.port, dnsPacket.encode(query('example.com', 'A')));
      expect(r.rcode).toBe('NXDOMAIN');
    } finally {
      await open.close();
    }
  });
});
