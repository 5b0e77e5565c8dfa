import { describe, expect, it } from 'vitest';
import { runCommand } from '../../src/cli/run.ts';
import type { CliIO } from '../../src/cli/io.ts';
import type { Preset } from '../../src/types.ts';

function io(): CliIO & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    env: { NO_COLOR: '1' },
    cwd: process.cwd(),
    out: () => out,
    err: () => err,
  };
}

describe('mailcheck presets', () => {
  it('lists every preset, one row each', async () => {
    const t = io();
    expect(await runCommand(['presets'], t)).toBe(0);
    const rows = t.out().split('\n').filter((l) => /^ {2}[a-z0-9]/.test(l));
    expect(rows.length).toBeGreaterThanOrEqual(45);
    expect(rows.some((r) => r.startsWith('  gmail ') && r.includes('smtp.gmail.com:465 ssl'))).toBe(true);
  });

  it('--json lists presets sorted by id', async () => {
    const t = io();
    expect(await runCommand(['presets', '--json'], t)).toBe(0);
    const list = JSON.parse(t.out()) as Preset[];
    const ids = list.map((p) => p.id);
    expect(ids).toEqual([...ids].sort());
    expect(ids).toContain('manager-io');
  });

  it('shows one preset with its sources, found by alias', async () => {
    const t = io();
    expect(await runCommand(['presets', 'hotmail'], t)).toBe(0);
    expect(t.out()).toContain('smtp-mail.outlook.com:587');
    expect(t.out()).toContain('corpus:ispdb-smtp.tsv:L68');
    expect(t.out()).toContain('basic-auth removed');
  });

  it('one preset as JSON', async () => {
    const t = io();
    expect(await runCommand(['presets', 'amazon-ses', '--json'], t)).toBe(0);
    const p = JSON.parse(t.out()) as Preset;
    expect(p.variables?.region).toContain('eu-west-1');
    expect(p.disagreements.length).toBeGreaterThan(0);
  });

  it('an unknown name exits 2 with a suggestion', async () => {
    const t = io();
    expect(await runCommand(['presets', 'gmial'], t)).toBe(2);
    expect(t.err()).toContain('did you mean gmail?');
  });
});
