import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

/** Each bundle file the command loaded, with what V8 did with its code cache. */
function cacheReport(args: string[]): Map<string, string> {
  const r = spawnSync(process.execPath, [join(root, 'bin', 'mailcheck.cjs'), ...args], {
    cwd: root,
    env: { ...process.env, NO_COLOR: '1', MAILCHECK_CODE_CACHE_REPORT: '1' },
    encoding: 'utf8',
    timeout: 20_000,
  });
  const lines = r.stderr.split('\n').filter((l) => l.startsWith('code-cache '));
  return new Map(lines.map((l) => l.split(' ').slice(1) as [string, string]));
}

describe('V8 code cache (bin/mailcheck.cjs)', () => {
  // lint of folders or globs runs under --no-opt and every other run without it: V8 rejects a
  // cache made under other flags, so each flavour must have its own, accepted for every bundle
  // file the command loads
  it.each([
    ['lint of one file', ['lint', 'examples/gmail/mail.yaml']],
    ['lint of a folder (--no-opt)', ['lint', 'examples/gmail']],
    ['render', ['render', 'examples/gmail/mail.yaml', '--target', 'env']],
    ['check (usage error before the network)', ['check', 'examples/gmail/mail.yaml', '--only', 'no-such-check']],
    ['rules', ['rules']],
  ])('is accepted for every bundle file %s loads', (_name, args) => {
    const report = cacheReport(args);
    expect(report.size).toBeGreaterThan(3);
    expect(Object.fromEntries([...report].filter(([, status]) => status !== 'accepted'))).toEqual({});
  });
});
