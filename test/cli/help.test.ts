import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/commands/index.ts';
import { runCli } from '../helpers/cli.ts';

const cwd = process.cwd();

/** The description paragraph(s) of a command's help: between the usage line and the first section. */
function descriptionOf(help: string): string[] {
  const lines = help.split('\n');
  const start = lines.findIndex((l) => l.startsWith('Usage:')) + 2;
  const end = lines.findIndex((l, i) => i >= start && /^(Arguments|Options|Commands):$/.test(l));
  return lines.slice(start, end).filter((l, i, all) => !(l === '' && i === all.length - 1));
}

describe('--help', () => {
  it('lists every command, each with a summary', async () => {
    const r = await runCli(['--help'], { cwd });
    expect(r.code).toBe(0);
    for (const c of COMMANDS) expect(r.stdout).toMatch(new RegExp(`^  ${c.name}\\b`, 'm'));
  });

  for (const name of COMMANDS.map((c) => c.name)) {
    it(`${name}: the description is wrapped as paragraphs (no line broken mid-paragraph), with examples or subcommands`, async () => {
      const r = await runCli([name, '--help'], { cwd });
      expect(r.code).toBe(0);
      const desc = descriptionOf(r.stdout);
      expect(desc.length).toBeGreaterThan(0);
      desc.forEach((line, i) => {
        expect(line.length).toBeLessThanOrEqual(80);
        // a line followed by more of the same paragraph was filled by the wrapper
        const next = desc[i + 1];
        if (next !== undefined && next !== '' && line !== '') expect(line.length, `${name}: "${line}"`).toBeGreaterThan(50);
      });
      expect(r.stdout).toMatch(/Examples:|Commands:/);
    });
  }
});
