import { DnsClient, type DnsResult } from '../net/dns.ts';
import type { DnsAnswer, DnsLookup, MxRecord, SrvRecord } from './types.ts';

/**
 * DNS through one server (`--resolver HOST[:PORT]`) with mailcheck's own client. Each question
 * gets at most `timeoutMs` over its three attempts.
 */
export function resolverDns(server: string, timeoutMs: number, signal?: AbortSignal): DnsLookup {
  const client = new DnsClient({ server, timeoutMs: Math.max(50, Math.floor(timeoutMs / 3)), retries: 2, ...(signal ? { signal } : {}) });
  const ask = async <T>(name: string, type: 'A' | 'AAAA' | 'MX' | 'TXT' | 'SRV', map: (r: DnsResult['answers'][number]) => T | undefined): Promise<DnsAnswer<T>> => {
    const r = await client.query(name, type);
    const records = r.answers.map(map).filter((x): x is T => x !== undefined);
    return { status: r.status, records, durationMs: r.durationMs, ...(r.message ? { message: r.message } : {}) };
  };
  return {
    a: (name) => ask(name, 'A', (r) => (r.type === 'A' ? r.address : undefined)),
    aaaa: (name) => ask(name, 'AAAA', (r) => (r.type === 'AAAA' ? r.address : undefined)),
    mx: (name) => ask<MxRecord>(name, 'MX', (r) => (r.type === 'MX' ? { preference: r.priority, exchange: r.exchange } : undefined)),
    txt: (name) => ask(name, 'TXT', (r) => (r.type === 'TXT' ? r.text : undefined)),
    srv: (name) =>
      ask<SrvRecord>(name, 'SRV', (r) => (r.type === 'SRV' ? { priority: r.priority, weight: r.weight, port: r.port, target: r.target } : undefined)),
  };
}
