import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeAllAtomic } from '../../src/deploy/atomic.ts';
import { diffLines, redactLine } from '../../src/deploy/diff.ts';

const tmp = () => mkdtempSync(join(tmpdir(), 'mailcheck-atomic-'));

describe('writeAllAtomic', () => {
  it('applies the exact mode whatever the umask', async () => {
    const dir = tmp();
    const old = process.umask(0o077);
    try {
      await writeAllAtomic([{ path: join(dir, 'a'), content: 'a\n', mode: 0o644 }, { path: join(dir, 'b'), content: 'b\n', mode: 0o600 }]);
    } finally {
      process.umask(old);
    }
    expect(statSync(join(dir, 'a')).mode & 0o777).toBe(0o644);
    expect(statSync(join(dir, 'b')).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir).sort()).toEqual(['a', 'b']);
  });

  it('a failure while writing temporaries changes nothing and leaves no temporary', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'a'), 'old');
    writeFileSync(join(dir, 'blocker'), 'a file where a folder is needed');
    await expect(
      writeAllAtomic([
        { path: join(dir, 'a'), content: 'new', mode: 0o644 },
        { path: join(dir, 'blocker', 'b'), content: 'b', mode: 0o644 },
      ]),
    ).rejects.toMatchObject({ code: expect.stringMatching(/ENOTDIR|EEXIST/) });
    expect(readFileSync(join(dir, 'a'), 'utf8')).toBe('old');
    expect(readdirSync(dir).sort()).toEqual(['a', 'blocker']);
  });

  it('a failed rename restores replaced files and removes created ones', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'a'), 'old a');
    let n = 0;
    await expect(
      writeAllAtomic(
        [
          { path: join(dir, 'new'), content: 'created', mode: 0o644 },
          { path: join(dir, 'a'), content: 'new a', mode: 0o644 },
          { path: join(dir, 'c'), content: 'c', mode: 0o644 },
        ],
        {
          beforeRename() {
            if (n++ === 2) throw new Error('boom');
          },
        },
      ),
    ).rejects.toThrow('boom');
    expect(readFileSync(join(dir, 'a'), 'utf8')).toBe('old a');
    expect(existsSync(join(dir, 'new'))).toBe(false);
    expect(readdirSync(dir)).toEqual(['a']);
  });
});

describe('diff', () => {
  it('lists removed and added lines in order', () => {
    expect(diffLines('a\nb\nc\n', 'a\nB\nc\nd\n')).toEqual([
      { op: '+', text: 'B' },
      { op: '-', text: 'b' },
      { op: '+', text: 'd' },
    ]);
    expect(diffLines('', 'x\n')).toEqual([{ op: '+', text: 'x' }]);
    expect(diffLines('same\n', 'same\n')).toEqual([]);
  });

  it('hides lines that may carry a secret', () => {
    const hidden = '[line hidden: it may hold a secret]';
    expect(redactLine('MAIL_PASSWORD=x', [])).toBe(hidden);
    expect(redactLine('MAILER_DSN="smtp://u:p%40ss@host:587"', [])).toBe(hidden);
    expect(redactLine('[smtp.example.com]:587 user:pw', [])).toBe(hidden);
    expect(redactLine('user hunter2', ['hunter2'])).toBe(hidden);
    expect(redactLine('MAIL_HOST=smtp.example.com', ['hunter2'])).toBe('MAIL_HOST=smtp.example.com');
    expect(redactLine('relayhost = [smtp.example.com]:587', [])).toBe('relayhost = [smtp.example.com]:587');
  });
});
