import type { Socket } from 'node:net';

/** One SMTP reply (RFC 5321 §4.2), possibly multi-line. */
export interface SmtpReply {
  code: number;
  /** RFC 3463 enhanced status code of the first line, e.g. `5.7.8` */
  enhanced?: string;
  /** the text of every line, without code and separator */
  lines: string[];
  /** the reply as one line: `535 5.7.8 Authentication failed` */
  text: string;
}

/** Why reading from or writing to the server stopped. Stable codes the checks evaluate. */
export type WireFailureKind =
  | 'timeout'
  | 'closed'
  | 'line-too-long'
  | 'too-many-lines'
  | 'protocol'
  | 'aborted'
  | 'socket'
  /** the client refused to write a command holding CR, LF or NUL (SPEC §7) */
  | 'unsafe-command';

export class WireError extends Error {
  constructor(
    readonly kind: WireFailureKind,
    message: string,
    /** the socket error code (ECONNRESET…) when there is one */
    readonly code?: string,
  ) {
    super(message);
    this.name = 'WireError';
  }
}

/** CR, LF and NUL: inside a command they end it early and start another (RFC 5321 §2.3.8, §4.1.1). */
const COMMAND_BREAK = /[\r\n\0]/;

/**
 * The last line of defence of SPEC §7 "Nothing from outside reaches the wire unchecked": throws
 * {@link WireError} `unsafe-command` when `line` holds CR, LF or NUL, so a value that slipped past
 * every earlier check (an interpolated `${VAR}`, a flag, an API caller) can never smuggle a
 * second command (`RCPT TO:<a@x>\r\nDATA…`) onto the wire. `what` names the command, never the value.
 */
export function assertSafeCommand(line: string, what: string): void {
  const m = COMMAND_BREAK.exec(line);
  if (!m) return;
  const char = m[0] === '\r' ? 'CR' : m[0] === '\n' ? 'LF' : 'NUL';
  throw new WireError('unsafe-command', `refused to send ${what}: it contains a ${char} character`);
}

/** @default 4096: RFC 5321 §4.5.3.1.5 allows 512 octets per reply line; a server sending more is broken or hostile. */
export const MAX_LINE = 4096;
/** @default 512 lines per reply: bounds a server that sends `250-` lines forever. */
export const MAX_REPLY_LINES = 512;

const REPLY_LINE = /^(\d{3})(?:([ -])(.*))?$/;
const ENHANCED = /^([245]\.\d{1,3}\.\d{1,3})(?:\s+|$)/;

interface Waiter {
  resolve(reply: SmtpReply): void;
  reject(err: WireError): void;
}

/**
 * Reads SMTP replies from a socket with a bounded line length and reply size, so a server that
 * never ends a line costs at most {@link MAX_LINE} bytes before the read fails.
 */
export class ReplyReader {
  private socket: Socket | undefined;
  private partial: Buffer[] = [];
  private partialLength = 0;
  private lines: string[] = [];
  private failure: WireError | undefined;
  private waiter: Waiter | undefined;
  private readonly onData = (chunk: Buffer): void => this.push(chunk);
  private readonly onEnd = (): void => this.fail(new WireError('closed', 'the server closed the connection'));
  private readonly onError = (err: NodeJS.ErrnoException): void =>
    this.fail(new WireError('socket', err.message, err.code));

  constructor(
    private readonly maxLine = MAX_LINE,
    private readonly maxLines = MAX_REPLY_LINES,
  ) {}

  attach(socket: Socket): void {
    this.detach();
    this.socket = socket;
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('close', this.onEnd);
    socket.on('error', this.onError);
  }

  /** Stops reading and drops whatever was buffered (RFC 3207 §6: nothing read before TLS is kept). */
  detach(): number {
    const dropped = this.partialLength + this.lines.reduce((n, l) => n + l.length, 0);
    if (this.socket) {
      this.socket.off('data', this.onData);
      this.socket.off('end', this.onEnd);
      this.socket.off('close', this.onEnd);
      this.socket.off('error', this.onError);
    }
    this.socket = undefined;
    this.partial = [];
    this.partialLength = 0;
    this.lines = [];
    return dropped;
  }

  /** Fails the pending and every later read (used for timeouts and aborts). */
  fail(err: WireError): void {
    if (!this.failure) this.failure = err;
    const w = this.waiter;
    this.waiter = undefined;
    w?.reject(this.failure);
  }

  /** The next complete reply; rejects with a {@link WireError} after `timeoutMs`. */
  read(timeoutMs: number, what: string): Promise<SmtpReply> {
    return new Promise<SmtpReply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        reject(new WireError('timeout', `no reply to ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiter = {
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      this.drain();
    });
  }

  private push(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(0x0a, start);
      if (nl === -1) break;
      const piece = chunk.subarray(start, nl);
      if (this.partialLength + piece.length > this.maxLine) return this.overflow();
      const line = Buffer.concat([...this.partial, piece]).toString('utf8').replace(/\r$/, '');
      this.partial = [];
      this.partialLength = 0;
      this.lines.push(line);
      if (this.lines.length > this.maxLines + 1) {
        this.fail(new WireError('too-many-lines', `the server sent more than ${this.maxLines} reply lines`));
        this.socket?.destroy();
        return;
      }
      start = nl + 1;
    }
    const rest = chunk.subarray(start);
    if (rest.length) {
      if (this.partialLength + rest.length > this.maxLine) return this.overflow();
      this.partial.push(Buffer.from(rest));
      this.partialLength += rest.length;
    }
    this.drain();
  }

  private overflow(): void {
    this.partial = [];
    this.partialLength = 0;
    this.fail(new WireError('line-too-long', `the server sent a line longer than ${this.maxLine} bytes`));
    this.socket?.destroy();
  }

  private drain(): void {
    if (!this.waiter) return;
    if (this.failure && this.lines.length === 0) return this.fail(this.failure);
    const collected: { code: number; text: string }[] = [];
    for (let i = 0; i < this.lines.length; i++) {
      const m = REPLY_LINE.exec(this.lines[i] ?? '');
      if (!m) {
        this.lines.splice(0, i + 1);
        const err = new WireError('protocol', 'the server sent a line that is not an SMTP reply');
        this.fail(err);
        return;
      }
      collected.push({ code: Number(m[1]), text: m[3] ?? '' });
      if (m[2] !== '-') {
        this.lines.splice(0, i + 1);
        const first = collected[0]!;
        const e = ENHANCED.exec(first.text);
        const lines = collected.map((c) => c.text);
        const reply: SmtpReply = {
          code: first.code,
          lines,
          text: `${first.code} ${lines.join(' / ')}`.trim(),
          ...(e ? { enhanced: e[1] } : {}),
        };
        const w = this.waiter;
        this.waiter = undefined;
        w.resolve(reply);
        return;
      }
      if (collected.length > this.maxLines) {
        this.fail(new WireError('too-many-lines', `the server sent more than ${this.maxLines} reply lines`));
        return;
      }
    }
    if (this.failure) this.fail(this.failure);
  }
}

/** Parses EHLO reply lines (after the first) into keyword → parameters, keywords upper-cased. */
export function parseExtensions(reply: SmtpReply): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of reply.lines.slice(1)) {
    const m = /^([A-Za-z0-9][A-Za-z0-9-]*)(?:[ =](.*))?$/.exec(line.trim());
    if (m) out[m[1]!.toUpperCase()] = (m[2] ?? '').trim();
  }
  return out;
}
