/**
 * The README's reference tables are generated from the registries. After adding or changing a
 * rule, check or target: `npm run docs` (UPDATE_README=1) rewrites them.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../src/checks/index.ts';
import { TARGET_IDS } from '../src/render.ts';
import { RULES } from '../src/rules/index.ts';
import { markers, regenerate, TABLES } from './helpers/docs-tables.ts';

const README = join(import.meta.dirname, '..', 'README.md');

describe('README reference tables', () => {
  it('match the registries (run `npm run docs` when this fails)', () => {
    const text = readFileSync(README, 'utf8');
    const wanted = regenerate(text);
    if (process.env.UPDATE_README && wanted !== text) writeFileSync(README, wanted);
    else expect(text).toBe(wanted);
  });

  it('list every rule, check and target once', () => {
    const text = readFileSync(README, 'utf8');
    const section = (name: string) => {
      const [open, close] = markers(name);
      return text.slice(text.indexOf(open), text.indexOf(close));
    };
    for (const [name, ids] of [
      ['rules', RULES.map((r) => r.meta.id)],
      ['checks', CHECKS.map((c) => c.meta.id)],
      ['targets', [...TARGET_IDS]],
    ] as const) {
      expect(Object.keys(TABLES)).toContain(name);
      for (const id of ids) expect(section(name).split(`| \`${id}\` |`).length - 1, `${name}: ${id}`).toBe(1);
    }
  });

  it('every check says what its pass and fail mean', () => {
    for (const c of CHECKS) expect(c.meta.outcomes.pass ?? c.meta.outcomes.warn, c.meta.id).toBeTruthy();
  });
});
