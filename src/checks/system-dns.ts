/**
 * The SMTP host's own addresses, as the application will get them: getaddrinfo (honours
 * /etc/hosts), or with `--resolver` the record client's A and AAAA. Every other question goes
 * through the one record client (resolver-dns.ts, on src/net/dns.ts).
 */
import { promises as dns } from 'node:dns';
import { isIP } from '../config/ip.ts';
import type { DnsLookup, DnsStatus, HostResolution } from './types.ts';

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
