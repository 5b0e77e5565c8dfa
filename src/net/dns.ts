/**
 * mailcheck's one DNS client for record lookups (dns-packet): every question of a run — the
 * checks', `init --domain`'s — goes through it. It asks the server given (`--resolver`) or every
 * nameserver of /etc/resolv.conf in turn, honouring its `timeout`, `attempts` and `rotate`
 * options; deduplicates identical concurrent queries and caches for the client's lifetime; and
 * reports TTLs and the resolver's AD bit (DNSSEC-validated) with each answer. It never throws
 * for network conditions: every query resolves to a {@link DnsResult} with a status. (The SMTP
 * host's own address may still come from getaddrinfo, as the application's will.)
 */
import { normalName, toAnswer as toAnswerOf, type DnsAnswer, type DnsStatus, type RecordType } from './dns-records.ts';
import { exchange, type Outcome } from './dns-transport.ts';
import { parseServer, serverLabel, systemResolverConfig, type DnsServerAddress } from './resolv-conf.ts';
import type { DecodedPacket } from 'dns-packet';

export type { DnsAnswer, DnsStatus, RecordType } from './dns-records.ts';
export type { DnsServerAddress } from './resolv-conf.ts';

export interface DnsResult {
  /** the name as asked (ASCII form of an IDN), without the trailing dot */
  name: string;
  type: RecordType;
  status: DnsStatus;
  answers: DnsAnswer[];
  /** `host:port` of the server that answered (or was asked last) */
  server: string;
  durationMs: number;
  /** the resolver set AD: it validated the answer with DNSSEC (RFC 4035 §3.2.3) */
  authenticated: boolean;
  /** what went wrong, when the status is not `ok`/`nodata`/`nxdomain` */
  message?: string;
}

export interface DnsClientOptions {
  /** `host[:port]` (IPv6 as `[::1]:53`), or several asked in turn; @default every nameserver of /etc/resolv.conf */
  server?: string | readonly string[];
  /** per attempt, in ms @default resolv.conf's `timeout` (5 s), else 2000 with `server` */
  timeoutMs?: number;
  /** further UDP attempts per server after a timeout @default resolv.conf's `attempts` − 1, else 2 */
  retries?: number;
  /** the resolv.conf to read when no `server` is given @default '/etc/resolv.conf' */
  resolvConf?: string;
  /** ends every pending query promptly (status `timeout` for a TimeoutError reason, else `error`) */
  signal?: AbortSignal;
}

/** Statuses worth asking the next server about (resolv.conf(5): the next nameserver is tried). */
const TRY_NEXT: ReadonlySet<DnsStatus> = new Set(['timeout', 'servfail', 'refused', 'error', 'malformed']);

/** A stub resolver. Create one per run: it caches what it learns. */
export class DnsClient {
  private readonly options: DnsClientOptions;
  private config: { servers: DnsServerAddress[]; timeoutMs: number; attempts: number; rotate: boolean } | undefined;
  private readonly cache = new Map<string, Promise<DnsResult>>();
  private turn = 0;

  constructor(options: DnsClientOptions = {}) {
    this.options = options;
    if (options.server !== undefined) {
      const servers = (typeof options.server === 'string' ? [options.server] : options.server).map((spec) => {
        const parsed = parseServer(spec);
        if (typeof parsed === 'string') throw new TypeError(`DNS server "${spec}": ${parsed}`);
        return parsed;
      });
      if (servers.length === 0) throw new TypeError('no DNS server given');
      this.config = { servers, timeoutMs: options.timeoutMs ?? 2000, attempts: 1 + (options.retries ?? 2), rotate: false };
    }
  }

  private resolvers(): NonNullable<DnsClient['config']> {
    if (!this.config) {
      const sys = systemResolverConfig(this.options.resolvConf);
      this.config = {
        ...sys,
        timeoutMs: this.options.timeoutMs ?? sys.timeoutMs,
        attempts: this.options.retries !== undefined ? 1 + this.options.retries : sys.attempts,
      };
    }
    return this.config;
  }

  /** `host:port` of the (first) server this client asks. */
  get server(): string {
    return serverLabel(this.resolvers().servers[0]!);
  }

  /** Every server this client asks, in order. */
  get servers(): string[] {
    return this.resolvers().servers.map(serverLabel);
  }

  /** Asks for `type` records of `name`. Identical concurrent queries share one exchange. */
  query(name: string, type: RecordType): Promise<DnsResult> {
    const started = performance.now();
    const cfg = this.resolvers();
    const ascii = normalName(name);
    if (ascii === undefined) {
      return Promise.resolve({ name: String(name), type, status: 'error', answers: [], server: this.server, durationMs: 0, authenticated: false, message: 'not a valid domain name' });
    }
    const key = `${type} ${ascii}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const pending = this.ask(ascii, type, cfg).then(({ outcome, server }): DnsResult => {
      const base = { name: ascii, type, server: serverLabel(server), durationMs: Math.round(performance.now() - started) };
      if (outcome.kind === 'fail') {
        if (this.options.signal?.aborted) this.cache.delete(key);
        return { ...base, status: outcome.status, answers: [], authenticated: false, message: outcome.message };
      }
      return { ...base, ...interpret(outcome.packet, type) };
    });
    this.cache.set(key, pending);
    return pending;
  }

  /** Each server in turn (starting further along with `rotate`) until one gives an answer. */
  private async ask(name: string, type: RecordType, cfg: NonNullable<DnsClient['config']>): Promise<{ outcome: Outcome; server: DnsServerAddress }> {
    const n = cfg.servers.length;
    const first = cfg.rotate ? this.turn++ % n : 0;
    let last: { outcome: Outcome; server: DnsServerAddress } | undefined;
    for (let i = 0; i < n; i++) {
      const server = cfg.servers[(first + i) % n]!;
      const outcome = await exchange(name, type, server, { timeoutMs: cfg.timeoutMs, attempts: cfg.attempts, signal: this.options.signal });
      last = { outcome, server };
      const status = outcome.kind === 'reply' ? statusOf(outcome.packet) : outcome.status;
      if (!TRY_NEXT.has(status) || this.options.signal?.aborted) break;
    }
    return last!;
  }
}

function statusOf(packet: DecodedPacket): DnsStatus {
  const rcode = (packet as DecodedPacket & { rcode?: string }).rcode ?? 'NOERROR';
  return rcode === 'NOERROR' ? 'ok' : rcode === 'NXDOMAIN' ? 'nxdomain' : rcode === 'SERVFAIL' ? 'servfail' : rcode === 'REFUSED' ? 'refused' : 'error';
}

function interpret(packet: DecodedPacket, type: RecordType): Pick<DnsResult, 'status' | 'answers' | 'message' | 'authenticated'> {
  const rcode = (packet as DecodedPacket & { rcode?: string }).rcode ?? 'NOERROR';
  const authenticated = Boolean(packet.flag_ad);
  switch (rcode) {
    case 'NOERROR': {
      const answers = (packet.answers ?? []).map((a) => toAnswerOf(a, type)).filter((a): a is DnsAnswer => a !== undefined);
      return { status: answers.length > 0 ? 'ok' : 'nodata', answers, authenticated };
    }
    case 'NXDOMAIN':
      return { status: 'nxdomain', answers: [], authenticated };
    case 'SERVFAIL':
      return { status: 'servfail', answers: [], authenticated: false, message: 'the server failed to answer (SERVFAIL)' };
    case 'REFUSED':
      return { status: 'refused', answers: [], authenticated: false, message: 'the server refused the query (REFUSED)' };
    default:
      return { status: 'error', answers: [], authenticated: false, message: `the server answered ${rcode}` };
  }
}
