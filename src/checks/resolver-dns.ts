import { DnsClient, type DnsResult } from '../net/dns.ts';
import type { DnsAnswer, DnsLookup, MxRecord, SrvRecord, TlsaRecord } from './types.ts';

/**
 * The checks' DNS: mailcheck's one client (src/net/dns.ts), asking `--resolver HOST[:PORT]` when
 * given, else every nameserver of /etc/resolv.conf. Each question gets at most `timeoutMs` over
 * its attempts; identical questions of a run (profiles sharing a domain) are asked once.
 */
export function recordDns(server: string | undefined, timeoutMs: number, signal?: AbortSignal): DnsLookup {
  const client = new DnsClient({
    ...(server !== undefined ? { server } : {}),
    timeoutMs: Math.max(50, Math.floor(timeoutMs / 3)),
    retries: 2,
    ...(signal ? { signal } : {}),
  });
  const ask = async <T>(name: string, type: DnsResult['type'], map: (r: DnsResult['answers'][number]) => T | undefined): Promise<DnsAnswer<T>> => {
    const r = await client.query(name, type);
    const records = r.answers.map(map).filter((x): x is T => x !== undefined);
    return { status: r.status, records, durationMs: r.durationMs, authenticated: r.authenticated, ...(r.message ? { message: r.message } : {}) };
  };
  return {
    a: (name) => ask(name, 'A', (r) => (r.type === 'A' ? r.address : undefined)),
    aaaa: (name) => ask(name, 'AAAA', (r) => (r.type === 'AAAA' ? r.address : undefined)),
    mx: (name) => ask<MxRecord>(name, 'MX', (r) => (r.type === 'MX' ? { preference: r.priority, exchange: r.exchange } : undefined)),
    txt: (name) => ask(name, 'TXT', (r) => (r.type === 'TXT' ? r.text : undefined)),
    srv: (name) =>
      ask<SrvRecord>(name, 'SRV', (r) => (r.type === 'SRV' ? { priority: r.priority, weight: r.weight, port: r.port, target: r.target } : undefined)),
    tlsa: (name) =>
      ask<TlsaRecord>(name, 'TLSA', (r) => (r.type === 'TLSA' ? { usage: r.usage, selector: r.selector, matchingType: r.matchingType, data: r.data } : undefined)),
    ptr: (name) => ask(name, 'PTR', (r) => (r.type === 'PTR' ? r.target : undefined)),
    cname: (name) => ask(name, 'CNAME', (r) => (r.type === 'CNAME' ? r.target : undefined)),
  };
}
