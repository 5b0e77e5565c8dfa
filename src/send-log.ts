/**
 * The send log (`mailcheck send --log FILE`): one JSON line per message tried, the mirror of the
 * "email log" the seed apps keep (Shipturtle's Settings → Email Logs, seed:002_1d1d40629913fc92.txt).
 * A line holds the time, the profile, the recipient, whether it went out, the server's reply
 * (outside text: controls made visible, every registered secret redacted, bounded) and the message
 * id; never a secret, never a credential. The file is created 0600, only appended to, refused when
 * it is not a regular file (a FIFO, a device, a directory) or is a symbolic link (SPEC §7).
 */
import { closeSync, constants, fstatSync, openSync, writeSync } from 'node:fs';
import { MailcheckError } from './errors.ts';
import { kindOf } from './safety/fs.ts';
import { redact } from './safety/redact.ts';
import { outsideText } from './safety/sanitize.ts';

/** The longest server reply kept in a line (a reply can be long; a log line stays bounded). */
export const LOG_REPLY_MAX = 1000;
/** The longest line written (the fields' bounds keep a line under it; a longer one is refused, not written). */
export const LOG_LINE_MAX = 16 * 1024;
/** A log past this size is not appended to (rotate it): appends stay bounded. */
export const LOG_FILE_MAX = 64 * 1024 * 1024;

export interface SendLogEntry {
  /** ISO 8601, UTC */
  time: string;
  profile: string;
  /** the envelope recipient given with --to */
  to: string;
  ok: boolean;
  /** the server's final reply, or the failure's message */
  reply: string;
  /** when the message was accepted */
  messageId?: string;
  /** when it was not: the failure's code (`EAUTH`, `ECONNECTION`, `E_SECRET`…) */
  code?: string;
  smtpCode?: number;
}

function clean(text: string, max: number): string {
  const t = outsideText(redact(text));
  return t.length > max ? `${t.slice(0, max)}…` : t;
}

/** The entry as one JSON line: every text field cleaned and bounded. */
export function logLine(entry: SendLogEntry): string {
  const safe: SendLogEntry = {
    time: entry.time,
    profile: clean(entry.profile, 200),
    to: clean(entry.to, 320),
    ok: entry.ok,
    reply: clean(entry.reply, LOG_REPLY_MAX),
    ...(entry.messageId !== undefined ? { messageId: clean(entry.messageId, 300) } : {}),
    ...(entry.code !== undefined ? { code: clean(entry.code, 40) } : {}),
    ...(entry.smtpCode !== undefined ? { smtpCode: entry.smtpCode } : {}),
  };
  const line = `${JSON.stringify(safe)}\n`;
  if (Buffer.byteLength(line) > LOG_LINE_MAX) throw new MailcheckError('E_WRITE', `a send log line would be longer than ${LOG_LINE_MAX} bytes`);
  return line;
}

export interface SendLog {
  append(entry: SendLogEntry): void;
  close(): void;
}

/**
 * Opens the log at `path` for appending (created 0600 when missing) before anything is sent, so a
 * refused path costs no message. Throws `E_WRITE` when the path is a symbolic link or not a
 * regular file, or the log is past {@link LOG_FILE_MAX}.
 */
export function openSendLog(path: string): SendLog {
  // the path as shown in messages: a name with control characters stays on one visible line
  const shown = outsideText(path);
  let fd: number;
  try {
    fd = openSync(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW | constants.O_NONBLOCK, 0o600);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'EIO';
    if (code === 'ELOOP') throw new MailcheckError('E_WRITE', `--log ${shown} is a symbolic link; mailcheck does not write through links`, 'give the real path');
    if (code === 'ENXIO') throw new MailcheckError('E_WRITE', `--log ${shown} is a FIFO (named pipe); only a regular file (or a new one) is appended to`);
    if (code === 'EISDIR') throw new MailcheckError('E_WRITE', `--log ${shown} is a directory; only a regular file (or a new one) is appended to`);
    throw new MailcheckError('E_WRITE', `--log ${shown} cannot be opened for appending (${code})`, 'check the path and its permissions');
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new MailcheckError('E_WRITE', `--log ${shown} is ${kindOf(st)}; only a regular file (or a new one) is appended to`);
    if (st.size > LOG_FILE_MAX) throw new MailcheckError('E_WRITE', `--log ${shown} is ${st.size} bytes; mailcheck appends to logs up to ${LOG_FILE_MAX}`, 'rotate or truncate the log');
  } catch (err) {
    closeSync(fd);
    throw err;
  }
  let open = true;
  return {
    append(entry) {
      if (!open) throw new MailcheckError('E_WRITE', `--log ${shown} is closed`);
      const line = Buffer.from(logLine(entry));
      let done = 0;
      for (let i = 0; i < 64 && done < line.length; i++) done += writeSync(fd, line, done, line.length - done);
      if (done < line.length) throw new MailcheckError('E_WRITE', `--log ${shown}: the line could not be written whole`);
    },
    close() {
      if (open) closeSync(fd);
      open = false;
    },
  };
}

/** Opens, appends one entry, closes (see {@link openSendLog}). */
export function appendSendLog(path: string, entry: SendLogEntry): void {
  const log = openSendLog(path);
  try {
    log.append(entry);
  } finally {
    log.close();
  }
}
