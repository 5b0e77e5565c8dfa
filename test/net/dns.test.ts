import { createSocket } from 'node:dgram';
import dnsPacket from 'dns-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseResolverFlag } from '../../src/cli/options.ts';
import { DnsClient, type DnsResult } from '../../src/net/dns.ts';
import { parseResolvConf, parseServer, systemResolverConfig } from '../../src/net/resolv-conf.ts';
import { startDnsServer, startSandbox, type DnsServer, type Sandbox } from '../../src/sandbox/index.ts';

const D = 'sandbox.mailcheck.test';

function serverOf(ep: { host: string; port: number }): string {
  return ep.host.includes(':') ? `[${ep.host}]:${ep.port}` : `${ep.host}:${ep.port}`;
}

describe('parseServer / --resolver', () => {
  it.each([
    ['1.1.1.1', { host: '1.1.1.1', port: 53 }],
    ['127.0.0.1:5353', { host: '127.0.0.1', port: 5353 }],
    [' 9.9.9.9 ', { host: '9.9.9.9', port: 53 }],
    ['::1', { host: '::1', port: 53 }],
    ['2001:db8::53', { host: '2001:db8::53', port: 53 }],
    ['[::1]:5353', { host: '::1', port: 5353 }],
    ['[2001:db8::1]', { host: '2001:db8::1', port: 53 }],
    ['localhost:5300', { host: '127.0.0.1', port: 5300 }],
  ])('%s', (spec, expected) => {
    expect(parseServer(spec)).toEqual(expected);
    expect(parseResolverFlag(spec)).toEqual(expected);
  });

  it.each(['', 'dns.google', '1.1.1.1:0', '1.1.1.1:65536', '1.1.1.1:x', '[1.1.1.1]:53', '[::1', '300.1.1.1', '::1:53:zz'])('refuses %j', (spec) => {
    expect(typeof parseServer(spec)).toBe('string');
    expect(() => parseResolverFlag(spec)).toThrow(expect.objectContaining({ code: 'E_USAGE' }));
  });
});

describe('resolv.conf', () => {
  it('reads every nameserver and the timeout, attempts and rotate options', () => {
    const conf = parseResolvConf(
      ['# comment', 'search example.org', 'nameserver 192.0.2.53', 'nameserver fe80::1%eth0', 'nameserver not-an-ip', 'nameserver 2001:db8::53 ; trailing', 'options timeout:1 attempts:3 rotate ndots:2', ''].join('\n'),
    );
    expect(conf).toEqual({
      servers: [
        { host: '192.0.2.53', port: 53 },
        { host: 'fe80::1', port: 53 },
        { host: '2001:db8::53', port: 53 },
      ],
      timeoutMs: 1000,
      attempts: 3,
      rotate: true,
    });
  });

  it('caps timeout and attempts as resolv.conf(5) does, and falls back to 127.0.0.1', () => {
    expect(parseResolvConf('options timeout:99 attempts:40')).toEqual({ servers: [{ host: '127.0.0.1', port: 53 }], timeoutMs: 30_000, attempts: 5, rotate: false });
    expect(systemResolverConfig('/nonexistent/resolv.conf').servers).toEqual([{ host: '127.0.0.1', port: 53 }]);
  });
});

describe('DnsClient against the sandbox zone', () => {
  let sb: Sandbox;
  let client: DnsClient;
  beforeAll(async () => {
    sb = await startSandbox();
    client = new DnsClient({ server: serverOf(sb.dns), timeoutMs: 1000, retries: 1 });
  });
  afterAll(async () => {
    await sb.close();
  });

  it('A and AAAA', async () => {
    const a = await client.query(`smtp.${D}`, 'A');
    expect(a).toMatchObject({ name: `smtp.${D}`, type: 'A', status: 'ok', server: serverOf(sb.dns) });
    expect(a.answers).toEqual([{ type: 'A', address: '127.0.0.1', ttl: 300 }]);
    const aaaa = await client.query(`SMTP.${D}.`, 'AAAA');
    expect(aaaa.answers).toEqual([{ type: 'AAAA', address: '::1', ttl: 300 }]);
    expect(aaaa.name).toBe(`smtp.${D}`);
  });

  it('MX', async () => {
    const r = await client.query(D, 'MX');
    expect(r.status).toBe('ok');
    expect(r.answers).toEqual([{ type: 'MX', priority: 10, exchange: `smtp.${D}`, ttl: 300 }]);
  });

  it('TXT: SPF and DMARC', async () => {
    expect((await client.query(D, 'TXT')).answers).toEqual([{ type: 'TXT', text: 'v=spf1 ip4:127.0.0.1 -all', ttl: 300 }]);
    expect((await client.query(`_dmarc.${D}`, 'TXT')).answers).toEqual([{ type: 'TXT', text: 'v=DMARC1; p=none', ttl: 300 }]);
  });

  it('SRV for submission (RFC 6186) and submissions (RFC 8314)', async () => {
    const sub = await client.query(`_submission._tcp.${D}`, 'SRV');
    expect(sub.answers).toEqual([{ type: 'SRV', priority: 0, weight: 1, port: sb.smtp.starttls.port, target: `smtp.${D}`, ttl: 300 }]);
    const subs = await client.query(`_submissions._tcp.${D}`, 'SRV');
    expect(subs.answers).toEqual([{ type: 'SRV', priority: 0, weight: 1, port: sb.smtp.ssl.port, target: `smtp.${D}`, ttl: 300 }]);
  });

  it('NXDOMAIN inside the zone, NODATA for a name without that type, REFUSED outside', async () => {
    expect(await client.query(`nope.${D}`, 'A')).toMatchObject({ status: 'nxdomain', answers: [] });
    expect(await client.query(`_dmarc.${D}`, 'A')).toMatchObject({ status: 'nodata', answers: [] });
    expect(await client.query(`_tcp.${D}`, 'SRV')).toMatchObject({ status: 'nodata' });
    expect(await client.query('example.com', 'A')).toMatchObject({ status: 'refused' });
  });

  it('joins the strings of one TXT record (RFC 7208 §3.3) and keeps records apart', async () => {
    sb.addRecords([
      { name: 'acme.example', type: 'TXT', text: ['v=spf1 include:_spf.google.com ', '~all'] },
      { name: 'acme.example', type: 'TXT', text: 'google-site-verification=abc' },
      { name: 'acme.example', type: 'MX', priority: 1, exchange: 'aspmx.l.google.com' },
      { name: 'null.example', type: 'MX', priority: 0, exchange: '.' },
    ]);
    const txt = await client.query('acme.example', 'TXT');
    expect(txt.answers.map((a) => (a.type === 'TXT' ? a.text : ''))).toEqual([
      'v=spf1 include:_spf.google.com ~all',
      'google-site-verification=abc',
    ]);
    expect((await client.query('acme.example', 'MX')).answers).toEqual([{ type: 'MX', priority: 1, exchange: 'aspmx.l.google.com', ttl: 300 }]);
    expect((await client.query('null.example', 'MX')).answers).toEqual([{ type: 'MX', priority: 0, exchange: '.', ttl: 300 }]);
  });

  it('asks for an IDN in its ASCII form', async () => {
    sb.addRecords([{ name: 'xn--bcher-kva.example', type: 'A', address: '127.0.0.9' }]);
    const r = await client.query('Bücher.example', 'A');
    expect(r).toMatchObject({ name: 'xn--bcher-kva.example', status: 'ok' });
  });

  it('answers an invalid name with an error, without asking', async () => {
    for (const bad of ['', 'a..b', `${'x'.repeat(64)}.example`, 'has space.example']) {
      expect(await client.query(bad, 'A')).toMatchObject({ status: 'error', answers: [] });
    }
  });
});

describe('DnsClient on the wire', () => {
  let dns: DnsServer;
  const client = (extra: { timeoutMs?: number; retries?: number; signal?: AbortSignal } = {}) =>
    new DnsClient({ server: serverOf(dns.endpoint), timeoutMs: 300, retries: 0, ...extra });

  beforeAll(async () => {
    dns = await startDnsServer({
      zones: ['wire.test'],
      records: [
        { name: 'host.wire.test', type: 'A', address: '127.0.0.7' },
        // 40 × ~60 bytes: beyond the 1232-byte EDNS buffer, so the server truncates over UDP
        ...Array.from({ length: 40 }, (_, i) => ({ name: 'big.wire.test', type: 'TXT' as const, text: `record-${i}-${'y'.repeat(48)}` })),
      ],
    });
  });
  afterAll(async () => {
    await dns.close();
  });

  function queriesFor(name: string) {
    return dns.queries.filter((q) => q.name === name);
  }

  it('falls back to TCP when the UDP answer is truncated (TC)', async () => {
    dns.setFault((q) => (q.name === 'host.wire.test' ? 'truncate' : undefined));
    const r = await client().query('host.wire.test', 'A');
    dns.setFault(undefined);
    expect(r.status).toBe('ok');
    expect(r.answers).toEqual([{ type: 'A', address: '127.0.0.7', ttl: 300 }]);
    expect(queriesFor('host.wire.test').map((q) => q.transport)).toEqual(['udp', 'tcp']);
  });

  it('gets a large answer over TCP after the server truncates it', async () => {
    const r = await client().query('big.wire.test', 'TXT');
    expect(r.status).toBe('ok');
    expect(r.answers).toHaveLength(40);
    expect(queriesFor('big.wire.test').map((q) => q.transport)).toEqual(['udp', 'tcp']);
  });

  it('times out when the TCP retry after a truncated answer gets no reply', async () => {
    dns.setFault((q) => (q.transport === 'udp' ? 'truncate' : 'silence'));
    const r = await client().query('host.wire.test', 'MX');
    dns.setFault(undefined);
    expect(r).toMatchObject({ status: 'timeout', answers: [] });
    expect(r.message).toMatch(/TCP/);
  });

  it('reports an error when nobody listens on TCP after a truncated answer', async () => {
    const udp = createSocket('udp4');
    await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', () => resolve()));
    udp.on('message', (msg, rinfo) => {
      const q = dnsPacket.decode(msg);
      udp.send(dnsPacket.encode({ type: 'response', id: q.id ?? 0, flags: dnsPacket.TRUNCATED_RESPONSE, questions: q.questions ?? [] }), rinfo.port, rinfo.address);
    });
    try {
      const r = await new DnsClient({ server: `127.0.0.1:${udp.address().port}`, timeoutMs: 1000, retries: 0 }).query('a.test', 'A');
      expect(r.status).toBe('error');
      expect(r.message).toMatch(/refused/);
    } finally {
      await new Promise<void>((resolve) => udp.close(() => resolve()));
    }
  });

  it('ignores a reply with a wrong id and keeps waiting for the right one', async () => {
    dns.setFault('wrong-id-then-answer');
    const ok = await client().query('host.wire.test', 'A');
    dns.setFault('wrong-id');
    const timedOut = await client().query('host.wire.test', 'A');
    dns.setFault(undefined);
    expect(ok.status).toBe('ok');
    expect(timedOut.status).toBe('timeout');
    expect(timedOut.message).toMatch(/ignored/);
  });

  it('ignores a reply to another question', async () => {
    dns.setFault('wrong-question');
    const r = await client().query('host.wire.test', 'A');
    dns.setFault(undefined);
    expect(r).toMatchObject({ status: 'timeout', answers: [] });
  });

  it('reports an undecodable reply as malformed', async () => {
    dns.setFault('malformed');
    const r = await client().query('host.wire.test', 'A');
    dns.setFault(undefined);
    expect(r.status).toBe('malformed');
  });

  it('reports SERVFAIL and REFUSED', async () => {
    dns.setFault('servfail');
    const servfail = await client().query('host.wire.test', 'A');
    dns.setFault('refused');
    const refused = await client().query('host.wire.test', 'A');
    dns.setFault(undefined);
    expect(servfail).toMatchObject({ status: 'servfail', answers: [] });
    expect(refused).toMatchObject({ status: 'refused', answers: [] });
  });

  it('asks the next server when one refuses or is silent (as with several resolv.conf nameservers)', async () => {
    const other = await startDnsServer({ zones: ['wire.test'], records: [{ name: 'host.wire.test', type: 'A', address: '127.0.0.8' }] });
    try {
      dns.setFault('refused');
      const r = await new DnsClient({ server: [serverOf(dns.endpoint), serverOf(other.endpoint)], timeoutMs: 300, retries: 0 }).query('host.wire.test', 'A');
      expect(r).toMatchObject({ status: 'ok', server: serverOf(other.endpoint), answers: [{ address: '127.0.0.8' }] });
      // an answer (NXDOMAIN included) from the first server is final
      dns.setFault(undefined);
      const nx = await new DnsClient({ server: [serverOf(dns.endpoint), serverOf(other.endpoint)], timeoutMs: 300, retries: 0 }).query('gone.wire.test', 'A');
      expect(nx).toMatchObject({ status: 'nxdomain', server: serverOf(dns.endpoint) });
      expect(other.queries.filter((q) => q.name === 'gone.wire.test')).toHaveLength(0);
    } finally {
      dns.setFault(undefined);
      await other.close();
    }
  });

  it('reports the AD bit of a validating resolver (details.dnssec)', async () => {
    const sock = createSocket('udp4');
    sock.on('message', (msg, rinfo) => {
      const q = dnsPacket.decode(msg);
      expect((q.flags ?? 0) & dnsPacket.AUTHENTIC_DATA).toBeTruthy(); // RFC 6840 §5.7: asked for
      const reply = dnsPacket.encode({
        type: 'response',
        id: q.id,
        flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | dnsPacket.AUTHENTIC_DATA,
        questions: q.questions,
        answers: [{ type: 'A', name: 'signed.wire.test', ttl: 60, data: '192.0.2.1' }],
      });
      sock.send(reply, rinfo.port, rinfo.address);
    });
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
    try {
      const r = await new DnsClient({ server: `127.0.0.1:${sock.address().port}`, timeoutMs: 500, retries: 0 }).query('signed.wire.test', 'A');
      expect(r).toMatchObject({ status: 'ok', authenticated: true, answers: [{ address: '192.0.2.1', ttl: 60 }] });
      expect((await client().query('host.wire.test', 'A')).authenticated).toBe(false);
    } finally {
      sock.close();
    }
  });

  it('reports NXDOMAIN', async () => {
    expect(await client().query('missing.wire.test', 'A')).toMatchObject({ status: 'nxdomain' });
  });

  it('times out on silence, after every retry', async () => {
    dns.setFault('silence');
    const before = queriesFor('host.wire.test').length;
    const r = await client({ timeoutMs: 200, retries: 2 }).query('host.wire.test', 'A');
    dns.setFault(undefined);
    expect(r.status).toBe('timeout');
    expect(queriesFor('host.wire.test').length - before).toBe(3);
  });

  it('sends one query for identical concurrent calls, and caches the answer', async () => {
    const c = client();
    const before = queriesFor('host.wire.test').length;
    const [a, b] = await Promise.all([c.query('host.wire.test', 'A'), c.query('HOST.wire.test.', 'A')]);
    const again = await c.query('host.wire.test', 'A');
    expect(a).toEqual(b);
    expect(again).toEqual(a);
    expect(queriesFor('host.wire.test').length - before).toBe(1);
    await c.query('host.wire.test', 'AAAA');
    expect(queriesFor('host.wire.test').length - before).toBe(2);
  });

  it('ends promptly when aborted', async () => {
    dns.setFault('silence');
    const ac = new AbortController();
    const c = client({ timeoutMs: 30_000, retries: 2, signal: ac.signal });
    const pending = c.query('host.wire.test', 'A');
    setTimeout(() => ac.abort(), 50);
    const r: DnsResult = await pending;
    expect(r).toMatchObject({ status: 'error', message: 'aborted' });
    expect(await c.query('other.wire.test', 'A')).toMatchObject({ status: 'error', message: 'aborted' });
    const deadline = await client({ timeoutMs: 30_000, signal: AbortSignal.timeout(50) }).query('host.wire.test', 'A');
    dns.setFault(undefined);
    expect(deadline.status).toBe('timeout');
  });

  it('reports nothing listening as an error', async () => {
    const probe = createSocket('udp4');
    const port = await new Promise<number>((resolve) => probe.bind(0, '127.0.0.1', () => resolve(probe.address().port)));
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const r = await new DnsClient({ server: `127.0.0.1:${port}`, timeoutMs: 300, retries: 1 }).query('host.wire.test', 'A');
    expect(['error', 'timeout']).toContain(r.status);
    expect(r.server).toBe(`127.0.0.1:${port}`);
  });

  it('leaves no socket open', async () => {
    const sockets = () => process.getActiveResourcesInfo().filter((r) => r === 'UDPWrap' || r === 'TCPSocketWrap' || r === 'ConnectWrap').length;
    const before = sockets();
    const c = client({ timeoutMs: 100, retries: 1 });
    dns.setFault((q) => (q.name === 'big.wire.test' ? undefined : q.name === 'x1.wire.test' ? 'silence' : 'malformed'));
    await Promise.all([c.query('big.wire.test', 'TXT'), c.query('x1.wire.test', 'A'), c.query('x2.wire.test', 'A')]);
    dns.setFault(undefined);
    await new Promise((r) => setImmediate(r));
    expect(sockets()).toBe(before);
  });
});

describe('DnsClient over IPv6', () => {
  it('asks a server on [::1]', async () => {
    let dns: DnsServer;
    try {
      dns = await startDnsServer({ host: '::1', zones: ['v6.test'], records: [{ name: 'a.v6.test', type: 'AAAA', address: '::1' }] });
    } catch (err) {
      expect((err as { code?: string }).code).toBe('E_SANDBOX_HOST'); // no IPv6 loopback here
      return;
    }
    try {
      const r = await new DnsClient({ server: `[::1]:${dns.endpoint.port}`, timeoutMs: 1000 }).query('a.v6.test', 'AAAA');
      expect(r).toMatchObject({ status: 'ok', server: `[::1]:${dns.endpoint.port}` });
    } finally {
      await dns.close();
    }
  });
});
