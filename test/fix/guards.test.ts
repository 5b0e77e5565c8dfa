// lint --fix's guards: the two fix flags together are a usage error (exit 2, nothing written),
// and a file saved by someone else while it was being fixed is not overwritten (E_CHANGED).
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runCommand } from '../../src/cli/run.ts';
import type { CliIO } from '../../src/cli/io.ts';

// fixSource as it is, except that, when asked, it lets an "editor" save the file while it works
const editor = vi.hoisted(() => ({ path: '', text: '' }));
vi.mock('../../src/fix.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/fix.ts')>();
  return {
    ...real,
    fixSource: (...args: Parameters<typeof real.fixSource>) => {
      if (editor.path) appendFileSync(editor.path, editor.text);
      return real.fixSource(...args);
    },
  };
});

const MIXED = ['version: 1', 'profiles:', '  app:', '    host: smtp.example.org', '    port: 587', '    encryption: tls', '    from: app@example.org', ''].join('\n');

function io(cwd: string): CliIO & { all: () => string } {
  let all = '';
  const w = { write: (s: string) => ((all += s), true) };
  return { stdout: w, stderr: w, env: { NO_COLOR: '1' }, cwd, all: () => all };
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mailcheck-fix-guards-'));
  writeFileSync(join(dir, 'mail.yaml'), MIXED);
  editor.path = '';
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('lint --fix guards', () => {
  it('--fix with --fix-dry-run is a usage error and writes nothing', async () => {
    const out = io(dir);
    expect(await runCommand(['lint', '--fix', '--fix-dry-run'], out)).toBe(2);
    expect(out.all()).toContain('--fix and --fix-dry-run contradict each other');
    expect(readFileSync(join(dir, 'mail.yaml'), 'utf8')).toBe(MIXED);
  });

  it('a file saved by someone else during the fix is left as they saved it (E_CHANGED, exit 2)', async () => {
    editor.path = join(dir, 'mail.yaml');
    editor.text = '# saved by an editor meanwhile\n';
    const out = io(dir);
    expect(await runCommand(['lint', '--fix'], out)).toBe(2);
    expect(out.all()).toMatch(/mail\.yaml changed while it was being fixed; not written/);
    expect(readFileSync(join(dir, 'mail.yaml'), 'utf8')).toBe(`${MIXED}# saved by an editor meanwhile\n`);
  });

  it('without interference the same fix is written', async () => {
    expect(await runCommand(['lint', '--fix'], io(dir))).toBe(0);
    expect(readFileSync(join(dir, 'mail.yaml'), 'utf8')).toBe(MIXED.replace('encryption: tls', 'encryption: starttls'));
  });
});
