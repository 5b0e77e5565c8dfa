// Issue 8, classes 8 and 10: lint stays correct and bounded on hostile files (speed is measured in
// `npm run bench`, bench/lint-pathological.mjs, not here).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_NESTING, MAX_NODES } from '../../src/config/yaml-limits.ts';
import { MAX_DIAGNOSTICS_PER_RULE } from '../../src/engine.ts';
import { runCli } from '../helpers/cli.ts';
import { lintText, profile } from '../helpers/lint.ts';

const HEAD = 'version: 1\nprofiles:\n  prod: { host: smtp.acme.example, port: 587, encryption: starttls, from: app@acme.example }\n';
const dir = mkdtempSync(join(tmpdir(), 'mailcheck-lint-edges-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function lintFile(text: string, format = 'json'): Promise<{ code: number; stdout: string; stderr: string }> {
  writeFileSync(join(dir, 'mail.yaml'), text);
  return runCli(['lint', '--format', format, 'mail.yaml'], { cwd: dir });
}

describe('host', () => {
  it.each([
    ['"127.0.0.1:587"', 'port'],
    ['"[::1]:587"', 'port'],
    ['"smtp.acme.example:587"', 'port'],
    ['"evil:25"', 'port'],
    ['"[::1"', undefined],
    ['"[smtp.acme.example]"', undefined],
    [`${'a'.repeat(64)}.example`, undefined],
    ['"bücher..example"', undefined],
  ])('refuses %s', (host, hint) => {
    const d = lintText(profile([], { host })).filter((x) => x.ruleId === 'schema');
    expect(d).toMatchObject([{ ruleId: 'schema', pointer: '/profiles/prod/host', line: 4 }]);
    if (hint === 'port') expect(d[0]!.hint).toContain('port:');
  });

  it.each(['"::1"', '"[::1]"', '"fe80::1%eth0"', '127.0.0.1', 'mail.bücher.example', 'xn--bcher-kva.example', '"${SMTP_HOST}"'])('accepts %s', (host) => {
    expect(lintText(profile([], { host })).filter((x) => x.ruleId === 'schema')).toEqual([]);
  });
});

describe('deep nesting: a diagnostic at the position, never a crash', () => {
  const cases: Array<[string, (n: number) => string]> = [
    ['flow [', (n) => `${HEAD}extra: ${'['.repeat(n)}${']'.repeat(n)}\n`],
    ['flow {', (n) => `${HEAD}extra: ${'{a: '.repeat(n)}1${'}'.repeat(n)}\n`],
    ['block - - -', (n) => `${HEAD}extra:\n  ${'- '.repeat(n)}x\n`],
    // 1,400 levels of one-space indentation fill the 1 MiB cap
    ['block indented', (n) => `${HEAD}extra:\n${Array.from({ length: Math.min(n, 1_400) }, (_, i) => `${' '.repeat(i + 1)}k:\n`).join('')}`],
  ];
  for (const [name, make] of cases) {
    it.each([1_000, 10_000])(`${name}, %i levels`, async (n) => {
      const text = make(n);
      const d = lintText(text);
      expect(d).toHaveLength(1);
      expect(d[0]).toMatchObject({ ruleId: 'yaml-syntax', severity: 'error' });
      expect(d[0]!.message).toContain(String(MAX_NESTING));
      expect(d[0]!.line).toBeGreaterThanOrEqual(4); // in the deep part, not at 1:1
      const r = await lintFile(text, 'stylish');
      expect(r.code).toBe(1);
      expect(r.stderr).toBe('');
    });
  }

  it('accepts the nesting a real file has', () => {
    const text = `${HEAD}defaults:\n  tls:\n    verify: true\n  auth:\n    user: u\n    password: { env: P }\n`;
    expect(lintText(text).filter((x) => x.ruleId === 'yaml-syntax')).toEqual([]);
  });
});

describe('bounded output', () => {
  it('reports duplicate keys each at its position, capped per rule with one "… and N more"', async () => {
    const n = 5_000;
    const text = `${HEAD}extra: {${Array(n).fill('password: 1').join(', ')}}\n`;
    const d = lintText(text);
    expect(d.every((x) => x.ruleId === 'yaml-syntax' && x.line === 4)).toBe(true);
    expect(d).toHaveLength(MAX_DIAGNOSTICS_PER_RULE + 1);
    expect(new Set(d.map((x) => x.column)).size).toBe(d.length);
    expect(d.some((x) => x.message.includes(String(n - 1 - MAX_DIAGNOSTICS_PER_RULE)))).toBe(true);
    const r = await lintFile(text, 'stylish');
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n').length).toBeLessThan(6 * (MAX_DIAGNOSTICS_PER_RULE + 2));
    // every code frame is cut to a bounded width around its column
    expect(Math.max(...r.stdout.split('\n').map((l) => l.length))).toBeLessThan(200);
  });

  it('reports the first duplicate key as before (block style)', () => {
    const d = lintText('version: 1\nprofiles:\n  a:\n    port: 587\n    port: 465\n');
    expect(d).toMatchObject([{ ruleId: 'yaml-syntax', line: 5, column: 5 }]);
  });

  it('caps many unknown keys and still suggests a spelling', () => {
    const keys = Array.from({ length: 1_000 }, (_, i) => `hots${i}: x`);
    const d = lintText(profile(keys)).filter((x) => x.ruleId === 'schema');
    expect(d).toHaveLength(MAX_DIAGNOSTICS_PER_RULE + 1);
    expect(lintText(profile(['hots: x']))[0]!.message).toContain('did you mean "host"');
  });

  it('refuses more values than a mail.yaml can need, at the first one too many', () => {
    const d = lintText(`${HEAD}targets: [${Array(MAX_NODES).fill('1').join(', ')}]\n`);
    expect(d).toMatchObject([{ ruleId: 'yaml-syntax', line: 4 }]);
    expect(d[0]!.message).toContain(String(MAX_NODES));
  });

  it('refuses more than 100 alias nodes (each costs yaml a walk of the document)', () => {
    const lines = Array.from({ length: 150 }, (_, i) => `  k${i}: *a`);
    const d = lintText(`${HEAD}anchor: &a x\nextra:\n${lines.join('\n')}\n`);
    expect(d).toMatchObject([{ ruleId: 'yaml-syntax', line: 106 }]);
  });

  it('a long line gets a code frame around the column', async () => {
    const text = HEAD.replace('smtp.acme.example', 'a'.repeat(300_000));
    const r = await lintFile(text, 'stylish');
    expect(r.code).toBe(1);
    expect(Math.max(...r.stdout.split('\n').map((l) => l.length))).toBeLessThan(200);
  });
});

describe('positions of limit diagnostics', () => {
  it('points at the level past the nesting limit', () => {
    const d = lintText(`${HEAD}extra: "q"\ndeep: ${'['.repeat(200)}${']'.repeat(200)}\n`);
    // HEAD is 3 lines; "deep: " is 6 columns; the estimate passes the limit inside the brackets
    expect(d).toMatchObject([{ ruleId: 'yaml-syntax', line: 5 }]);
    expect(d[0]!.column).toBeGreaterThan(7 + MAX_NESTING / 2);
    expect(d[0]!.column).toBeLessThanOrEqual(7 + MAX_NESTING);
  });
});
