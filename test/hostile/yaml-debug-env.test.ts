/**
 * SPEC §7 "Secrets never appear in output": yaml's own debug switches. With `LOG_TOKENS` set,
 * yaml's Parser prints every lexeme it takes to stdout; with `LOG_STREAM`, its Composer prints
 * every CST token (the whole document). Either would put a literal password from mail.yaml in a
 * CI log, because of a variable anyone upstream of the job can set. Both are checked through the
 * library's parse (the generated push parser, src/generated/yaml-push.js, and the guarded
 * Composer) and through the CLI as a user starts it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LineCounter } from 'yaml';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseWithinLimits } from '../../src/config/yaml-limits.ts';

const root = join(import.meta.dirname, '..', '..');
const SECRET = 'Lit3ral-pa55word-in-yaml';
const FILE = `version: 1\nprofiles:\n  p:\n    host: smtp.example.org\n    port: 587\n    encryption: starttls\n    auth: { method: login, username: app@example.org, password: "${SECRET}" }\n    from: { address: app@example.org }\n`;

describe("yaml's debug switches in the environment", () => {
  afterEach(() => {
    vi.restoreAllMocks();
    delete process.env.LOG_TOKENS;
    delete process.env.LOG_STREAM;
  });

  it('the library parse prints nothing, and gives the variable back', () => {
    const log = vi.spyOn(console, 'log');
    const dir = vi.spyOn(console, 'dir');
    process.env.LOG_TOKENS = '1';
    process.env.LOG_STREAM = '1';
    const parsed = parseWithinLimits(FILE, { lineCounter: new LineCounter(), prettyErrors: false });
    expect('doc' in parsed && parsed.doc.toJS().profiles.p.auth.password).toBe(SECRET);
    expect(log).not.toHaveBeenCalled();
    expect(dir).not.toHaveBeenCalled();
    expect(process.env.LOG_STREAM).toBe('1');
  });

  it('the library parse gives the variable back when it stops at a limit', () => {
    process.env.LOG_STREAM = 'x';
    const parsed = parseWithinLimits(`${'['.repeat(200)}`, { lineCounter: new LineCounter() });
    expect('hit' in parsed && parsed.hit.messageId).toBe('tooDeep');
    expect(process.env.LOG_STREAM).toBe('x');
  });

  it('the CLI prints no token and no secret (lint, stylish and json)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailcheck-yaml-debug-'));
    writeFileSync(join(dir, 'mail.yaml'), FILE);
    for (const format of ['stylish', 'json']) {
      const r = spawnSync(join(root, 'bin', 'mailcheck.cjs'), ['lint', 'mail.yaml', '--format', format], {
        cwd: dir,
        env: { ...process.env, CI: 'true', NO_COLOR: '1', LOG_TOKENS: '1', LOG_STREAM: '1' },
        encoding: 'utf8',
        timeout: 15_000,
      });
      const out = r.stdout + r.stderr;
      // the literal password is reported (no-literal-secret), never shown
      expect(r.status).toBe(1);
      expect(out).not.toContain(SECRET);
      expect(out).not.toMatch(/^\| /m); // yaml's token lines
      expect(out).not.toContain("type: 'document'");
    }
  });
});
