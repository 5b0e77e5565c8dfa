/**
 * One SMTP conversation on a socket: connect, read replies (bounded lines), write commands (never
 * one holding CR, LF or NUL), upgrade to TLS in place, and close without waiting for QUIT's reply.
 * Every wait is bounded by a step timeout and by the abort signal.
 */
import * as net from 'node:net';
import * as tls from 'node:tls';
import { ReplyReader, WireError, assertSafeCommand, type SmtpReply } from './smtp-wire.ts';
import type { SmtpSessionOptions, StepFailure } from './smtp-transcript.ts';
import { inspectTls, skipPeerCertificateObjects, tlsConnectOptions, type TlsClientSettings, type TlsInspection } from './tls-inspect.ts';

export class Aborted extends Error {}

export function failureOf(err: unknown): StepFailure {
  if (err instanceof WireError) return { kind: err.kind, message: err.message, ...(err.code ? { code: err.code } : {}) };
  if (err instanceof Aborted) return { kind: 'aborted', message: 'the run was aborted' };
  const e = err as NodeJS.ErrnoException;
  const code = e?.code;
  const message = e instanceof Error ? e.message : String(err);
  if (code === 'ECONNREFUSED') return { kind: 'refused', message, code };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { kind: 'dns', message, code };
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return { kind: 'unreachable', message, code };
  return { kind: 'socket', message, ...(code ? { code } : {}) };
}

export function sinceMs(start: bigint): number {
  return Number((process.hrtime.bigint() - start) / 1_000_000n);
}

/** One SMTP conversation. Every wait is bounded by a step timeout and by the abort signal. */
export class Conversation {
  socket: net.Socket | undefined;
  readonly reader: ReplyReader;
  readonly log: string[] = [];
  /** bytes dropped at the last TLS upgrade */
  discarded = 0;
  /** set after a timeout or protocol error: QUIT would only wait again */
  broken = false;
  private abortListener: (() => void) | undefined;

  constructor(
    readonly options: SmtpSessionOptions,
    maxLine: number,
  ) {
    this.reader = new ReplyReader(maxLine);
    const signal = options.signal;
    if (signal) {
      this.abortListener = () => {
        this.reader.fail(new WireError('aborted', 'the run was aborted'));
        this.socket?.destroy();
      };
      signal.addEventListener('abort', this.abortListener, { once: true });
    }
  }

  checkAborted(): void {
    if (this.options.signal?.aborted) throw new Aborted();
  }

  async connect(addresses: string[], port: number, timeoutMs: number): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let last: unknown;
    for (const address of addresses) {
      this.checkAborted();
      const remaining = deadline - Date.now();
      if (remaining <= 0) break;
      try {
        this.socket = await this.connectOne(address, port, remaining);
        return address;
      } catch (err) {
        last = err;
        if (err instanceof WireError && (err.kind === 'timeout' || err.kind === 'aborted')) throw err;
      }
    }
    throw last ?? new WireError('timeout', `no connection within ${timeoutMs} ms`);
  }

  private connectOne(address: string, port: number, timeoutMs: number): Promise<net.Socket> {
    return new Promise<net.Socket>((resolve, reject) => {
      const socket = net.connect({ host: address, port, noDelay: true });
      this.socket = socket;
      const cleanup = (): void => {
        clearTimeout(timer);
        socket.off('connect', onConnect);
        socket.off('error', onError);
        this.options.signal?.removeEventListener('abort', onAbort);
      };
      const onConnect = (): void => {
        cleanup();
        // errors of the raw socket surface through the reader or the TLS socket on top of it
        socket.on('error', () => undefined);
        resolve(socket);
      };
      const onError = (err: Error): void => {
        cleanup();
        socket.destroy();
        reject(err);
      };
      const onAbort = (): void => {
        cleanup();
        socket.destroy();
        reject(new WireError('aborted', 'the run was aborted'));
      };
      const timer = setTimeout(() => {
        cleanup();
        socket.destroy();
        reject(new WireError('timeout', `no TCP connection to ${address}:${port} within ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once('connect', onConnect);
      socket.once('error', onError);
      this.options.signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /**
   * Starts TLS over the current socket. Resolves with a function that inspects the handshake,
   * so the caller can put its next command on the wire first.
   */
  upgrade(host: string, settings: TlsClientSettings, timeoutMs: number, now: Date | undefined): Promise<() => TlsInspection> {
    const plain = this.socket;
    if (!plain) return Promise.reject(new WireError('closed', 'no connection'));
    this.discarded = this.reader.detach();
    return new Promise<() => TlsInspection>((resolve, reject) => {
      const secure = tls.connect({ socket: plain, host, ...tlsConnectOptions(host, settings) });
      const restore = skipPeerCertificateObjects(secure);
      this.socket = secure;
      const cleanup = (): void => {
        clearTimeout(timer);
        secure.off('secureConnect', onSecure);
        secure.off('error', onError);
        secure.off('close', onClose);
        this.options.signal?.removeEventListener('abort', onAbort);
      };
      const onSecure = (): void => {
        cleanup();
        restore();
        this.reader.attach(secure);
        resolve(() => inspectTls(secure, host, settings, now));
      };
      const onError = (err: NodeJS.ErrnoException): void => {
        cleanup();
        secure.destroy();
        reject(Object.assign(new Error(err.message), { code: err.code ?? 'ETLS' }));
      };
      const onClose = (): void => {
        cleanup();
        reject(new WireError('closed', 'the server closed the connection during the TLS handshake'));
      };
      const onAbort = (): void => {
        cleanup();
        secure.destroy();
        reject(new WireError('aborted', 'the run was aborted'));
      };
      const timer = setTimeout(() => {
        cleanup();
        secure.destroy();
        reject(new WireError('timeout', `TLS handshake did not complete within ${timeoutMs} ms`));
      }, timeoutMs);
      secure.once('secureConnect', onSecure);
      secure.once('error', onError);
      secure.once('close', onClose);
      this.options.signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  read(timeoutMs: number, what: string): Promise<SmtpReply> {
    this.checkAborted();
    return this.reader.read(timeoutMs, what).then((reply) => {
      for (const [i, line] of reply.lines.entries()) {
        this.log.push(`S: ${reply.code}${i === reply.lines.length - 1 ? ' ' : '-'}${line}`);
      }
      return reply;
    });
  }

  /** Writes one command line; `logged` replaces it in the transcript when it carries credentials. */
  async command(line: string, timeoutMs: number, logged = line): Promise<SmtpReply> {
    this.checkAborted();
    const socket = this.socket;
    if (!socket || socket.destroyed) throw new WireError('closed', 'the connection is closed');
    assertSafeCommand(line, logged.split(' ')[0] || 'a command');
    this.log.push(`C: ${logged}`);
    socket.write(`${line}\r\n`);
    return this.read(timeoutMs, logged.split(' ')[0] ?? logged);
  }

  /**
   * QUIT without waiting for the 221 (nothing depends on it), then end the socket; it is
   * destroyed at the latest after `timeoutMs`, and at once after a failure or an abort.
   */
  close(timeoutMs: number): void {
    if (this.abortListener) this.options.signal?.removeEventListener('abort', this.abortListener);
    const socket = this.socket;
    this.reader.detach();
    if (!socket || socket.destroyed) return;
    if (this.broken || !socket.writable || this.options.signal?.aborted) {
      socket.destroy();
      return;
    }
    this.log.push('C: QUIT');
    socket.on('error', () => undefined);
    socket.end('QUIT\r\n');
    const timer = setTimeout(() => socket.destroy(), Math.min(timeoutMs, 2000));
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
    // the reply is read and dropped so the server can close first
    socket.resume();
  }
}
