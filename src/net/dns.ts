/**
 * A small stub DNS client on dns-packet: UDP with TCP fallback on truncation (RFC 1035 §4.2,
 * RFC 7766), random ids, answers matched on id and question, retries with exponential back-off,
 * deduplication of identical concurrent queries and a cache for the client's lifetime. It never
 * throws for network conditions: every query resolves to a {@link DnsResult} with a status.
 */
import { randomInt } from 'node:crypto';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { connect as tcpConnect, isIPv4, isIPv6, type Socket } from 'node:net';
import { domainToASCII } from 'node:url';
import dnsPacket from 'dns-packet';
import type { Answer, DecodedPacket } from 'dns-packet';
import { MailcheckError } from '../errors.ts';

export type RecordType = 'A' | 'AAAA' | 'MX' | 'TXT' | 'SRV';

/**
 * One record of the answer. Names carry no trailing dot, except the root: an MX `exchange` of
 * `.` is a null MX (RFC 7505) and an SRV `target` of `.` means "no such service" (RFC 2782).
 */
export type DnsAnswer =
  | { type: 'A' | 'AAAA'; address: string; ttl: number }
  | { type: 'MX'; priority: number; exchange: string; ttl: number }
  /** the strings of one TXT record, concatenated (RFC 7208 §3.3) */
  | { type: 'TXT'; text: string; ttl: number }
  | { type: 'SRV'; priority: number; weight: number; port: number; target: string; ttl: number };

/**
 * `ok` records found · `nodata` the name exists without records of the type · `nxdomain` no
 * such name · `servfail`/`refused` the server's rcode · `timeout` no (matching) reply in time ·
 * `malformed` a reply that cannot be decoded or does not match the query · `error` anything
 * else (connection refused, invalid name, aborted, other rcodes).
 */
export type DnsStatus = 'ok' | 'nodata' | 'nxdomain' | 'servfail' | 'refused' | 'timeout' | 'malformed' | 'error';

export interface DnsResult {
  /** the name as asked (ASCII form of an IDN), without the trailing dot */
  name: string;
  type: RecordType;
  status: DnsStatus;
  answers: DnsAnswer[];
  /** `host:port` of the server asked (`[v6]:port`) */
  server: string;
  durationMs: number;
  /** what went wrong, when the status is not `ok`/`nodata`/`nxdomain` */
  message?: string;
}

export interface DnsClientOptions {
  /** `host[:port]`, IPv6 as `[::1]:53`; @default the first nameserver of /etc/resolv.conf, else 127.0.0.1 */
  server?: string;
  /** per attempt, in ms @default 2000 */
  timeoutMs?: number;
  /** further attempts after a timeout, with exponential back-off between them @default 2 */
  retries?: number;
  /** ends every pending query promptly (status `timeout` for a TimeoutError reason, else `error`) */
  signal?: AbortSignal;
}

const DEFAULT_PORT = 53;
const DEFAULT_TIMEOUT_MS = 2000;
const DEFAULT_RETRIES = 2;
/** back-off before retry n (n ≥ 1): BACKOFF_MS · 2^(n-1), at most the attempt timeout */
const BACKOFF_MS = 100;
/** the EDNS(0) buffer size of DNS flag day 2020 */
const EDNS_UDP_SIZE = 1232;

/**
 * Parses a resolver given as `host[:port]`: `1.1.1.1`, `127.0.0.1:5353`, `::1`, `[::1]:5353`
 * or `localhost`. Throws {@link MailcheckError} `E_USAGE` otherwise (host names are refused:
 * resolving the resolver would need a resolver).
 */
export function parseResolver(spec: string): { host: string; port: number } {
  const s = String(spec).trim();
  const usage = (why: string): MailcheckError =>
    new MailcheckError('E_USAGE', `--resolver "${spec}": ${why}`, 'give an IP address, optionally with a port: 1.1.1.1, 127.0.0.1:5353, [::1]:53');
  let host: string;
  let portText: string | undefined;
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(s);
  if (bracketed) {
    host = bracketed[1] ?? '';
    portText = bracketed[2];
    if (!isIPv6(host)) throw usage('not an IPv6 address in brackets');
  } else if (s.split(':').length > 2) {
    host = s;
    if (!isIPv6(host)) throw usage('not an IP address');
  } else {
    const [h = '', p] = s.split(':');
    host = h === 'localhost' ? '127.0.0.1' : h;
    portText = p;
    if (!isIPv4(host)) throw usage(host === '' ? 'no address' : 'not an IP address');
  }
  let port = DEFAULT_PORT;
  if (portText !== undefined) {
    if (!/^\d{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) throw usage('the port must be 1-65535');
    port = Number(portText);
  }
  return { host, port };
}

/** The first `nameserver` of /etc/resolv.conf, else 127.0.0.1:53. */
export function systemResolver(path = '/etc/resolv.conf'): { host: string; port: number } {
  try {
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      const m = /^\s*nameserver\s+(\S+)/.exec(line);
      if (m?.[1] && (isIPv4(m[1]) || isIPv6(m[1].replace(/%.*$/, '')))) return { host: m[1], port: DEFAULT_PORT };
    }
  } catch {
    // no resolv.conf (containers, Windows): fall through
  }
  return { host: '127.0.0.1', port: DEFAULT_PORT };
}

function label(server: { host: string; port: number }): string {
  return server.host.includes(':') ? `[${server.host}]:${server.port}` : `${server.host}:${server.port}`;
}

/** ASCII form of a name without the trailing dot, or undefined when it cannot be a domain name. */
function normalName(name: string): string | undefined {
  const trimmed = String(name).trim().replace(/\.$/, '');
  if (trimmed === '' || /[\s\0]/.test(trimmed)) return undefined;
  // domainToASCII rejects what URL hosts reject; `_` labels (SRV, DMARC) are fine there
  const ascii = /^[\x21-\x7e]+$/.test(trimmed) ? trimmed.toLowerCase() : domainToASCII(trimmed);
  if (!ascii || ascii.length > 253) return undefined;
  if (ascii.split('.').some((l) => l.length === 0 || l.length > 63)) return undefined;
  return ascii;
}

function toAnswer(a: Answer, type: RecordType): DnsAnswer | undefined {
  if (a.type !== type) return undefined;
  const ttl = a.ttl ?? 0;
  switch (a.type) {
    case 'A':
    case 'AAAA':
      return { type: a.type, address: a.data, ttl };
    case 'MX':
      return { type: 'MX', priority: a.data.preference ?? 0, exchange: a.data.exchange || '.', ttl };
    case 'TXT': {
      const parts = Array.isArray(a.data) ? a.data : [a.data];
      return { type: 'TXT', text: parts.map((p) => (typeof p === 'string' ? p : p.toString('utf8'))).join(''), ttl };
    }
    case 'SRV':
      return { type: 'SRV', priority: a.data.priority ?? 0, weight: a.data.weight ?? 0, port: a.data.port, target: a.data.target || '.', ttl };
    default:
      return undefined;
  }
}

function queryPacket(id: number, name: string, type: RecordType): Buffer {
  return dnsPacket.encode({
    type: 'query',
    id,
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ type, name, class: 'IN' }],
    additionals: [{ name: '.', type: 'OPT', udpPayloadSize: EDNS_UDP_SIZE, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] }],
  });
}

function matches(p: DecodedPacket, ids: ReadonlySet<number>, name: string, type: RecordType): boolean {
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

type Outcome = { kind: 'reply'; packet: DecodedPacket; via: 'udp' | 'tcp' } | { kind: 'fail'; status: DnsStatus; message: string };

function abortOutcome(signal: AbortSignal): Outcome {
  const reason: unknown = signal.reason;
  const isTimeout = reason instanceof Error && reason.name === 'TimeoutError';
  return isTimeout ? { kind: 'fail', status: 'timeout', message: 'the deadline passed' } : { kind: 'fail', status: 'error', message: 'aborted' };
}

function errText(err: NodeJS.ErrnoException, server: string): string {
  if (err.code === 'ECONNREFUSED') return `connection refused by ${server} (no DNS server there?)`;
  return `${err.code ?? err.message} talking to ${server}`;
}

/** A stub resolver bound to one server. Create one per run: it caches what it learns. */
export class DnsClient {
  private readonly options: DnsClientOptions;
  private target: { host: string; port: number } | undefined;
  private readonly cache = new Map<string, Promise<DnsResult>>();

  constructor(options: DnsClientOptions = {}) {
    this.options = options;
    if (options.server !== undefined) this.target = parseResolver(options.server);
  }

  /** `host:port` of the server this client asks. */
  get server(): string {
    return label(this.resolver());
  }

  private resolver(): { host: string; port: number } {
    this.target ??= systemResolver();
    return this.target;
  }

  /** Asks for `type` records of `name`. Identical concurrent queries share one exchange. */
  query(name: string, type: RecordType): Promise<DnsResult> {
    const started = performance.now();
    const server = this.resolver();
    const ascii = normalName(name);
    if (ascii === undefined) {
      return Promise.resolve({
        name: String(name),
        type,
        status: 'error',
        answers: [],
        server: label(server),
        durationMs: 0,
        message: 'not a valid domain name',
      });
    }
    const key = `${type} ${ascii}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const pending = this.exchange(ascii, type, server).then((outcome): DnsResult => {
      const base = { name: ascii, type, server: label(server), durationMs: Math.round(performance.now() - started) };
      if (outcome.kind === 'fail') {
        if (this.options.signal?.aborted) this.cache.delete(key);
        return { ...base, status: outcome.status, answers: [], message: outcome.message };
      }
      return { ...base, ...this.interpret(outcome.packet, type) };
    });
    this.cache.set(key, pending);
    return pending;
  }

  private interpret(packet: DecodedPacket, type: RecordType): Pick<DnsResult, 'status' | 'answers' | 'message'> {
    const rcode = (packet as DecodedPacket & { rcode?: string }).rcode ?? 'NOERROR';
    switch (rcode) {
      case 'NOERROR': {
        const answers = (packet.answers ?? []).map((a) => toAnswer(a, type)).filter((a): a is DnsAnswer => a !== undefined);
        return { status: answers.length > 0 ? 'ok' : 'nodata', answers };
      }
      case 'NXDOMAIN':
        return { status: 'nxdomain', answers: [] };
      case 'SERVFAIL':
        return { status: 'servfail', answers: [], message: 'the server failed to answer (SERVFAIL)' };
      case 'REFUSED':
        return { status: 'refused', answers: [], message: 'the server refused the query (REFUSED)' };
      default:
        return { status: 'error', answers: [], message: `the server answered ${rcode}` };
    }
  }

  private async exchange(name: string, type: RecordType, server: { host: string; port: number }): Promise<Outcome> {
    const signal = this.options.signal;
    if (signal?.aborted) return abortOutcome(signal);
    const udp = await this.udp(name, type, server);
    if (udp.kind === 'reply' && udp.packet.flag_tc) return this.tcp(name, type, server);
    return udp;
  }

  private timeoutMs(): number {
    const t = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    return Number.isFinite(t) && t > 0 ? t : DEFAULT_TIMEOUT_MS;
  }

  /**
   * The UDP exchange: one socket for every attempt, so a late reply to an earlier attempt still
   * counts; a reply must come from the server (connected socket) and match an id we sent and
   * the question, else it is ignored.
   */
  private udp(name: string, type: RecordType, server: { host: string; port: number }): Promise<Outcome> {
    const timeoutMs = this.timeoutMs();
    const attempts = 1 + Math.max(0, Math.floor(this.options.retries ?? DEFAULT_RETRIES));
    const signal = this.options.signal;
    const where = label(server);
    return new Promise<Outcome>((resolve) => {
      const ids = new Set<number>();
      let socket: UdpSocket | undefined;
      let timer: NodeJS.Timeout | undefined;
      let finished = false;
      let attempt = 0;
      let ignored = 0;
      let lastError: string | undefined;

      const finish = (outcome: Outcome): void => {
        if (finished) return;
        finished = true;
        if (timer) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (socket) {
          socket.removeAllListeners('message');
          socket.on('error', () => {});
          try {
            socket.close();
          } catch {
            // already closed
          }
        }
        resolve(outcome);
      };
      const onAbort = (): void => finish(abortOutcome(signal as AbortSignal));
      signal?.addEventListener('abort', onAbort, { once: true });

      const giveUp = (): void => {
        if (lastError) {
          finish({ kind: 'fail', status: 'error', message: lastError });
        } else {
          const extra = ignored > 0 ? ` (${ignored} repl${ignored === 1 ? 'y' : 'ies'} with a wrong id or question ignored)` : '';
          finish({ kind: 'fail', status: 'timeout', message: `no reply from ${where} in ${attempts} × ${timeoutMs} ms${extra}` });
        }
      };

      const send = (): void => {
        if (finished || !socket) return;
        attempt++;
        let id = randomInt(0x10000);
        while (ids.has(id)) id = randomInt(0x10000);
        ids.add(id);
        timer = setTimeout(next, timeoutMs);
        try {
          socket.send(queryPacket(id, name, type), (err) => {
            if (err) lastError = errText(err as NodeJS.ErrnoException, where);
          });
        } catch (err) {
          lastError ??= errText(err as NodeJS.ErrnoException, where);
        }
      };
      const next = (): void => {
        if (finished) return;
        if (attempt >= attempts) {
          giveUp();
          return;
        }
        timer = setTimeout(send, Math.min(BACKOFF_MS * 2 ** (attempt - 1), timeoutMs));
      };

      try {
        socket = createSocket(isIPv6(server.host.replace(/%.*$/, '')) ? 'udp6' : 'udp4');
      } catch (err) {
        finish({ kind: 'fail', status: 'error', message: errText(err as NodeJS.ErrnoException, where) });
        return;
      }
      socket.on('error', (err: NodeJS.ErrnoException) => {
        // on a connected socket an ICMP port unreachable arrives as ECONNREFUSED: retry, then report
        lastError = errText(err, where);
        if (timer) clearTimeout(timer);
        next();
      });
      socket.on('message', (msg: Buffer) => {
        let packet: DecodedPacket;
        try {
          packet = dnsPacket.decode(msg);
        } catch {
          // from the server (the socket is connected) with one of our ids: it will not get better
          if (msg.length >= 2 && ids.has(msg.readUInt16BE(0))) {
            finish({ kind: 'fail', status: 'malformed', message: `undecodable reply from ${where}` });
          } else {
            ignored++;
          }
          return;
        }
        if (!matches(packet, ids, name, type)) {
          ignored++;
          return;
        }
        finish({ kind: 'reply', packet, via: 'udp' });
      });
      socket.connect(server.port, server.host, () => {
        if (attempt === 0) send();
      });
    });
  }

  /** The TCP exchange (after a truncated UDP reply): 2-byte length framing, one query. */
  private tcp(name: string, type: RecordType, server: { host: string; port: number }): Promise<Outcome> {
    const timeoutMs = this.timeoutMs();
    const signal = this.options.signal;
    const where = label(server);
    if (signal?.aborted) return Promise.resolve(abortOutcome(signal));
    return new Promise<Outcome>((resolve) => {
      let finished = false;
      const id = randomInt(0x10000);
      let socket: Socket | undefined;
      const finish = (outcome: Outcome): void => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        socket?.destroy();
        resolve(outcome);
      };
      const onAbort = (): void => finish(abortOutcome(signal as AbortSignal));
      signal?.addEventListener('abort', onAbort, { once: true });
      const timer = setTimeout(
        () => finish({ kind: 'fail', status: 'timeout', message: `no reply over TCP from ${where} in ${timeoutMs} ms` }),
        timeoutMs,
      );
      socket = tcpConnect({ host: server.host, port: server.port });
      socket.on('error', (err: NodeJS.ErrnoException) => finish({ kind: 'fail', status: 'error', message: `${errText(err, where)} (TCP)` }));
      socket.on('connect', () => {
        const body = queryPacket(id, name, type);
        const framed = Buffer.alloc(2 + body.length);
        framed.writeUInt16BE(body.length, 0);
        body.copy(framed, 2);
        socket?.write(framed);
      });
      let buffered = Buffer.alloc(0);
      socket.on('data', (chunk: Buffer) => {
        buffered = Buffer.concat([buffered, chunk]);
        if (buffered.length < 2) return;
        const len = buffered.readUInt16BE(0);
        if (buffered.length < 2 + len) return;
        let packet: DecodedPacket;
        try {
          packet = dnsPacket.decode(buffered.subarray(2, 2 + len));
        } catch {
          finish({ kind: 'fail', status: 'malformed', message: `undecodable reply over TCP from ${where}` });
          return;
        }
        if (!matches(packet, new Set([id]), name, type)) {
          finish({ kind: 'fail', status: 'malformed', message: `the reply over TCP from ${where} does not match the query` });
          return;
        }
        finish({ kind: 'reply', packet, via: 'tcp' });
      });
      socket.on('end', () => finish({ kind: 'fail', status: 'malformed', message: `${where} closed the TCP connection without a full reply` }));
    });
  }
}
