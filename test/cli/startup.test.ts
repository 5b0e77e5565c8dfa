import { spawnSync } from 'node:child_process';
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
});
