/**
 * The README's seed-apps section shows each seed app's form guide as the CLI prints it for
 * examples/seed-apps/mail.yaml (never typed by hand): `npm run docs` (UPDATE_README=1) rewrites
 * the block between `<!-- generated:seed-guides -->` markers; this test fails when it is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.ts';

const ROOT = join(import.meta.dirname, '..');
const README = join(ROOT, 'README.md');
const EXAMPLE = 'examples/seed-apps/mail.yaml';
const OPEN = '<!-- generated:seed-guides -->';
const CLOSE = '<!-- /generated:seed-guides -->';

/** Which guides the README shows: every app in English, SHARE info also in its own Japanese. */
const SHOWN: ReadonlyArray<[string, 'en' | 'ja' | 'it']> = [
  ['manager-io', 'en'],
  ['perfex', 'en'],
  ['shipturtle', 'en'],
  ['share-info', 'en'],
  ['share-info', 'ja'],
];

async function block(): Promise<string> {
  const parts: string[] = [];
  for (const [target, lang] of SHOWN) {
    const args = ['render', EXAMPLE, '--target', target, '--guide', ...(lang === 'en' ? [] : ['--lang', lang])];
    const r = await runCli(args, { cwd: ROOT, env: {} });
    expect(r.code, `mailcheck ${args.join(' ')}: ${r.stderr}`).toBe(0);
    parts.push(['```console', `$ mailcheck ${args.join(' ')}`, r.stdout.trimEnd(), '```'].join('\n'));
  }
  return parts.join('\n\n');
}

describe('README seed-apps section', () => {
  it('shows the guides the CLI prints for examples/seed-apps (run `npm run docs` when this fails)', async () => {
    const text = readFileSync(README, 'utf8');
    const start = text.indexOf(OPEN);
    const end = text.indexOf(CLOSE);
    expect(start, 'README has the generated:seed-guides markers').toBeGreaterThanOrEqual(0);
    expect(end).toBeGreaterThan(start);
    const wanted = `${text.slice(0, start + OPEN.length)}\n${await block()}\n${text.slice(end)}`;
    if (process.env.UPDATE_README && wanted !== text) writeFileSync(README, wanted);
    else expect(text).toBe(wanted);
  });
});
