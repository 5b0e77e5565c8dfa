import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FORMATS } from '../src/report/index.ts';
import { RULES } from '../src/rules/index.ts';
import { SPEC_FORMATS, SPEC_RULE_IDS } from './helpers/spec.ts';

const root = join(import.meta.dirname, '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

describe('registries, docs and tests stay in step', () => {
  it.each(RULES.map((r) => [r.meta.id, r] as const))('rule %s has a module, a test, a README row and complete metadata', (id, rule) => {
    expect(existsSync(join(root, 'src', 'rules', `${id}.ts`))).toBe(true);
    expect(existsSync(join(root, 'test', 'rules', `${id}.test.ts`))).toBe(true);
    expect(readme).toMatch(new RegExp(`^\\| \`${id}\` \\|`, 'm'));
    const m = rule.meta;
    for (const text of [m.description, m.rationale, m.fix, m.example.bad, m.example.good]) expect(text.length).toBeGreaterThan(5);
    expect(Object.keys(m.messages).length).toBeGreaterThan(0);
  });

  it('every rule the contract names (SPEC §3) is registered', () => {
    for (const id of SPEC_RULE_IDS) expect(RULES.map((r) => r.meta.id)).toContain(id);
  });

  it('every format the contract names (SPEC §2) is registered', () => {
    for (const f of FORMATS) expect(f).toMatch(/^[a-z][a-z0-9-]*$/);
    for (const f of SPEC_FORMATS) expect(FORMATS).toContain(f);
  });

  it('rule ids are unique', () => {
    const ids = RULES.map((r) => r.meta.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each(FORMATS.map((f) => [f]))('format %s has a module and a test', (format) => {
    expect(existsSync(join(root, 'src', 'report', `${format}.ts`))).toBe(true);
    expect(existsSync(join(root, 'test', 'report', `${format}.test.ts`))).toBe(true);
    expect(readme).toContain(`\`${format}\``);
  });
});
