// The send log (`send --log FILE`): JSON lines, 0600, appended, never a secret, bounded, and only
// a regular file (SPEC §7). The CLI side is in test/cli/check.test.ts ("mailcheck send").
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isMailcheckError } from '../../src/errors.ts';
import { registerSecret } from '../../src/safety/redact.ts';
import { appendSendLog, LOG_REPLY_MAX, logLine, openSendLog, type SendLogEntry } from '../../src/send-log.ts';

const dir = () => mkdtempSync(join(tmpdir(), 'mailcheck-send-log-'));
const entry = (over: Partial<SendLogEntry> = {}): SendLogEntry => ({
  time: '2026-01-02T03:04:05.000Z',
  profile: 'production',
  to: 'you@example.org',
  ok: true,
  reply: '250 2.0.0 OK queued as 4Xy',
  messageId: '<abc@example.org>',
  ...over,
});
const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (err) {
    return isMailcheckError(err) ? err.code : 'not a MailcheckError';
  }
  return undefined;
};

describe('send log', () => {
  it('creates the file 0600 and appends one JSON line per message', () => {
    const path = join(dir(), 'mail-log.jsonl');
    appendSendLog(path, entry());
    appendSendLog(path, entry({ ok: false, reply: '535 5.7.8 Authentication failed', messageId: undefined, code: 'EAUTH', smtpCode: 535 }));
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toEqual([
      { time: '2026-01-02T03:04:05.000Z', profile: 'production', to: 'you@example.org', ok: true, reply: '250 2.0.0 OK queued as 4Xy', messageId: '<abc@example.org>' },
      { time: '2026-01-02T03:04:05.000Z', profile: 'production', to: 'you@example.org', ok: false, reply: '535 5.7.8 Authentication failed', code: 'EAUTH', smtpCode: 535 },
    ]);
  });

  it('keeps an existing file and its mode (appends only)', () => {
    const path = join(dir(), 'existing.jsonl');
    writeFileSync(path, 'earlier line\n', { mode: 0o640 });
    appendSendLog(path, entry());
    expect(readFileSync(path, 'utf8').split('\n')[0]).toBe('earlier line');
    expect(statSync(path).mode & 0o777).toBe(0o640);
  });

  it('never writes a registered secret, in any encoding; controls in the reply become visible', () => {
    const secret = 'Log-s3cret-value-9876';
    registerSecret(secret);
    const b64 = Buffer.from(`\0user\0${secret}`).toString('base64');
    const line = logLine(entry({ reply: `535 bad ${secret} ${b64}\r\n250 forged\x1b[31m` }));
    expect(line).not.toContain(secret);
    expect(line).not.toContain(b64);
    expect(line.trimEnd().split('\n')).toHaveLength(1);
    const reply = (JSON.parse(line) as { reply: string }).reply;
    expect(reply).not.toMatch(/[\r\n\x1b]/);
    expect(reply).toContain('␍␊250 forged␛');
  });

  it('bounds the reply', () => {
    const reply = (JSON.parse(logLine(entry({ reply: `250 ${'x'.repeat(100_000)}` }))) as { reply: string }).reply;
    expect(reply.length).toBe(LOG_REPLY_MAX + 1);
  });

  it('refuses a symbolic link, a directory and a FIFO (before anything is sent)', () => {
    const d = dir();
    writeFileSync(join(d, 'real.jsonl'), '');
    symlinkSync(join(d, 'real.jsonl'), join(d, 'link.jsonl'));
    mkdirSync(join(d, 'folder'));
    execFileSync('mkfifo', [join(d, 'fifo')]);
    for (const name of ['link.jsonl', 'folder', 'fifo']) expect(codeOf(() => openSendLog(join(d, name))), name).toBe('E_WRITE');
    expect(readFileSync(join(d, 'real.jsonl'), 'utf8')).toBe('');
  });
});
