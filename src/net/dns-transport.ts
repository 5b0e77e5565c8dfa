/**
 * One DNS exchange with one server: UDP with retries and exponential back-off, answers matched
 * on id and question (RFC 5452), TCP on truncation (RFC 1035 §4.2, RFC 7766). Never throws for
 * network conditions: the outcome says what happened.
 */
import { randomInt } from 'node:crypto';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect as tcpConnect, type Socket } from 'node:net';
import dnsPacket from 'dns-packet';
import type { DecodedPacket } from 'dns-packet';
import { matches, queryPacket, type DnsStatus, type RecordType } from './dns-records.ts';
import { serverLabel, type DnsServerAddress } from './resolv-conf.ts';

export interface ExchangeOptions {
  /** per attempt, in ms */
  timeoutMs: number;
  /** UDP attempts (the first included) */
  attempts: number;
  signal?: AbortSignal | undefined;
}

/** back-off before retry n (n ≥ 1): BACKOFF_MS · 2^(n-1), at most the attempt timeout */
const BACKOFF_MS = 100;

export type Outcome = { kind: 'reply'; packet: DecodedPacket; via: 'udp' | 'tcp' } | { kind: 'fail'; status: DnsStatus; message: string };

function abortOutcome(signal: AbortSignal): Outcome {
  const reason: unknown = signal.reason;
  const isTimeout = reason instanceof Error && reason.name === 'TimeoutError';
  return isTimeout ? { kind: 'fail', status: 'timeout', message: 'the deadline passed' } : { kind: 'fail', status: 'error', message: 'aborted' };
}

function errText(err: NodeJS.ErrnoException, server: string): string {
  if (err.code === 'ECONNREFUSED') return `connection refused by ${server} (no DNS server there?)`;
  return `${err.code ?? err.message} talking to ${server}`;
}

/** The whole exchange: UDP, then TCP when the UDP reply is truncated. */
export async function exchange(name: string, type: RecordType, server: DnsServerAddress, opts: ExchangeOptions): Promise<Outcome> {
  if (opts.signal?.aborted) return abortOutcome(opts.signal);
  const udp = await udpExchange(name, type, server, opts);
  if (udp.kind === 'reply' && udp.packet.flag_tc) return tcpExchange(name, type, server, opts);
  return udp;
}

/**
 * The UDP exchange: one socket for every attempt, so a late reply to an earlier attempt still
 * counts; a reply must come from the server (connected socket) and match an id we sent and
 * the question, else it is ignored.
 */
export function udpExchange(name: string, type: RecordType, server: DnsServerAddress, opts: ExchangeOptions): Promise<Outcome> {
  const { timeoutMs, signal } = opts;
  const attempts = Math.max(1, Math.floor(opts.attempts));
  const where = serverLabel(server);
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
      // an IPv6 address holds a colon (resolv-conf.ts only keeps IP literals); net.isIPv6 would
      // compile its large pattern on first use (~8 ms) just to say so
      socket = createSocket(server.host.includes(':') ? 'udp6' : 'udp4');
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
export function tcpExchange(name: string, type: RecordType, server: DnsServerAddress, opts: ExchangeOptions): Promise<Outcome> {
  const { timeoutMs, signal } = opts;
  const where = serverLabel(server);
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
