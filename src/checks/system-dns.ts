import { promises as dns } from 'node:dns';
import { isIP } from 'node:net';
import type { DnsAnswer, DnsLookup, DnsStatus, HostResolution, MxRecord, SrvRecord } from './types.ts';

function statusOf(err: unknown): { status: DnsStatus; message: string } {
  const e = err as NodeJS.ErrnoException;
  const message = e instanceof Error ? e.message : String(err);
  switch (e?.code) {
    case 'ENODATA':
      return { status: 'nodata', message };
    case 'ENOTFOUND':
      return { status: 'nxdomain', message };
    case 'ETIMEOUT':
      return { status: 'timeout', message };
    case 'ESERVFAIL':
      return { status: 'servfail', message };
    case 'EREFUSED':
      return { status: 'refused', message };
    case 'EBADRESP':
    case 'EFORMERR':
      return { status: 'malformed', message };
    case 'ECANCELLED':
      return { status: 'timeout', message: 'the run was aborted' };
    default:
      return { status: 'error', message };
  }
}

/** DNS through the system's resolvers (c-ares, /etc/resolv.conf), bounded by `timeoutMs`. */
export function systemDns(timeoutMs: number, signal?: AbortSignal): DnsLookup {
  const resolver = new dns.Resolver({ timeout: Math.max(1, Math.floor(timeoutMs / 2)), tries: 2 });
  signal?.addEventListener('abort', () => resolver.cancel(), { once: true });
  const ask = async <T>(fn: () => Promise<T[]>): Promise<DnsAnswer<T>> => {
    const started = performance.now();
    try {
      const records = await fn();
      return { status: records.length ? 'ok' : 'nodata', records, durationMs: Math.round(performance.now() - started) };
    } catch (err) {
      return { ...statusOf(err), records: [], durationMs: Math.round(performance.now() - started) };
    }
  };
  return {
    a: (name) => ask(() => resolver.resolve4(name)),
    aaaa: (name) => ask(() => resolver.resolve6(name)),
    mx: (name) => ask<MxRecord>(async () => (await resolver.resolveMx(name)).map((r) => ({ preference: r.priority, exchange: r.exchange }))),
    txt: (name) => ask(async () => (await resolver.resolveTxt(name)).map((parts) => parts.join(''))),
    srv: (name) =>
      ask<SrvRecord>(async () =>
        (await resolver.resolveSrv(name)).map((r) => ({ priority: r.priority, weight: r.weight, port: r.port, target: r.name })),
      ),
  };
}

/** The resolution of an address literal (`192.0.2.1`, `::1`, `[::1]`), else undefined. */
export function literalHost(host: string): HostResolution | undefined {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  return isIP(bare) ? { status: 'ok', addresses: [bare], via: 'literal', durationMs: 0 } : undefined;
}

/**
 * The host's addresses the way the application will get them: getaddrinfo (honours /etc/hosts),
 * or the given resolver (`--resolver`) asked for A and AAAA.
 */
export async function resolveHost(host: string, lookup: DnsLookup | undefined, timeoutMs: number): Promise<HostResolution> {
  const literal = literalHost(host);
  if (literal) return literal;
  const bare = host;
  const started = performance.now();
  const took = (): number => Math.round(performance.now() - started);
  if (lookup) {
    const [a, aaaa] = await Promise.all([lookup.a(bare), lookup.aaaa(bare)]);
    const addresses = [...a.records, ...aaaa.records];
    if (addresses.length) return { status: 'ok', addresses, via: 'resolver', durationMs: took() };
    const worst = a.status !== 'ok' && a.status !== 'nodata' ? a : aaaa.status !== 'ok' && aaaa.status !== 'nodata' ? aaaa : a;
    return {
      status: worst.status === 'ok' ? 'nodata' : worst.status,
      addresses: [],
      via: 'resolver',
      durationMs: took(),
      ...(worst.message ? { message: worst.message } : {}),
    };
  }
  let timer: NodeJS.Timeout | undefined;
  try {
    const all = await Promise.race([
      dns.lookup(bare, { all: true, verbatim: true }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEOUT' })), timeoutMs);
      }),
    ]);
    return { status: 'ok', addresses: all.map((a) => a.address), via: 'system', durationMs: took() };
  } catch (err) {
    const s = statusOf(err);
    // getaddrinfo says ENOTFOUND both for NXDOMAIN and for a name without addresses
    return { ...s, addresses: [], via: 'system', durationMs: took() };
  } finally {
    clearTimeout(timer);
  }
}

/** Wraps a lookup so each (type, name) is asked once per run. */
export function cachedDns(inner: DnsLookup): DnsLookup {
  const cache = new Map<string, Promise<DnsAnswer<unknown>>>();
  const memo =
    <T>(type: keyof DnsLookup) =>
    (name: string): Promise<DnsAnswer<T>> => {
      const key = `${type} ${name.toLowerCase().replace(/\.$/, '')}`;
      let p = cache.get(key);
      if (!p) {
        p = inner[type](name) as Promise<DnsAnswer<unknown>>;
        cache.set(key, p);
      }
      return p as Promise<DnsAnswer<T>>;
    };
  return { a: memo('a'), aaaa: memo('aaaa'), mx: memo('mx'), txt: memo('txt'), srv: memo('srv') };
}
