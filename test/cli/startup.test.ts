import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

describe('lint start-up', () => {
  it('loads none of the heavy online modules', () => {
    const r = spawnSync(process.execPath, ['-r', join(root, 'test', 'fixtures', 'trace-loads.cjs'), join(root, 'bin', 'mailcheck.cjs'), 'lint', 'examples/broken'], {
      cwd: root,
      env: { ...process.env, NO_COLOR: '1' },
      encoding: 'utf8',
    });
    expect(r.status).toBe(1);
    const loaded = /LOADED: (.*)/.exec(r.stderr)?.[1]?.split(',') ?? [];
    for (const heavy of ['nodemailer', 'smtp-server', 'listr2', 'node-forge', 'dns-packet', 'ajv']) {
      expect(loaded.some((m) => m === heavy || m.startsWith(`${heavy}/`))).toBe(false);
    }
    // commander's eager require of child_process (net, dgram…) is made lazy by the bundle build
    const builtins = /BUILTINS: (.*)/.exec(r.stderr)?.[1]?.split(',') ?? [];
    expect(builtins.length).toBeGreaterThan(0);
    for (const unused of ['child_process', 'dgram']) expect(builtins).not.toContain(unused);
  });

  it('lint of one file, output to a file: no node:crypto, node:net (nor its streams) or node:v8', () => {
    // a pipe or a terminal on stdout loads node:net for the stream itself; a file does not
    const dir = mkdtempSync(join(tmpdir(), 'mailcheck-startup-'));
    const fd = openSync(join(dir, 'out'), 'w');
    try {
      const r = spawnSync(process.execPath, ['-r', join(root, 'test', 'fixtures', 'trace-loads.cjs'), join(root, 'bin', 'mailcheck.cjs'), 'lint', 'examples/gmail/mail.yaml'], {
        cwd: root,
        env: { ...process.env, NO_COLOR: '1' },
        stdio: ['ignore', fd, fd],
      });
      expect(r.status).toBe(0);
      const text = readFileSync(join(dir, 'out'), 'utf8');
      const builtins = /BUILTINS: (.*)/.exec(text)?.[1]?.split(',') ?? [];
      expect(builtins).toContain('vm'); // bin/mailcheck.cjs's code-cache loader: the list is read
      for (const unused of ['crypto', 'net', 'v8', 'child_process', 'dgram']) expect(builtins).not.toContain(unused);
    } finally {
      closeSync(fd);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('every bundle file is ASCII (one-byte source strings for V8; scripts/build-cli.mjs escapes the rest)', () => {
    const dir = join(root, 'dist', 'bundle');
    const files = readdirSync(dir).filter((n) => n.endsWith('.cjs'));
    expect(files.length).toBeGreaterThan(5);
    for (const name of files) expect(/[^\x00-\x7f]/.exec(readFileSync(join(dir, name), 'utf8')), name).toBeNull();
  });
});
