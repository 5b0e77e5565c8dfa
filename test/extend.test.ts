/**
 * Adding a rule, a check, a render target or an output format costs three files — the module,
 * its registry line, its test (a golden file for a target) — and `npm run docs` for the README
 * tables. Proven here: a throwaway module of each kind is added to a copy of the tree, and the
 * type check and the meta-tests (registries, docs, architecture) must pass with nothing else.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const copy = mkdtempSync(join(tmpdir(), 'mailcheck-extend-'));
afterAll(() => rmSync(copy, { recursive: true, force: true }));

/** Inserts `line` before the closing line of the array or object that starts at `anchor`. */
function addToRegistry(file: string, importLine: string, anchor: string, entry: string): void {
  const path = join(copy, file);
  let s = readFileSync(path, 'utf8');
  const at = s.indexOf(anchor);
  if (at < 0) throw new Error(`${file}: no ${anchor}`);
  const close = s.indexOf('\n}', at) >= 0 && anchor.endsWith('{') ? s.indexOf('\n}', at) : s.indexOf('\n];', at);
  s = `${importLine}\n${s.slice(0, close)}\n  ${entry},${s.slice(close)}`;
  writeFileSync(path, s);
}

const MODULES: Record<string, string> = {
  'src/rules/zz-demo.ts': `import type { Finding, Rule } from '../types.ts';

export const rule: Rule = {
  meta: {
    id: 'zz-demo',
    severity: 'info',
    description: 'A demonstration rule: the charset is not UTF-8.',
    rationale: 'It shows what adding a rule costs.',
    fix: 'Write charset: UTF-8.',
    example: { bad: 'charset: latin1', good: 'charset: UTF-8' },
    messages: { notUtf8: 'charset {{charset}} is not UTF-8' },
  },
  check(ctx) {
    const out: Finding[] = [];
    for (const v of ctx.profiles) {
      const c = v.profile.charset;
      if (c && !/^utf-?8$/i.test(c)) out.push({ messageId: 'notUtf8', data: { charset: c }, pointer: v.pointerOf('charset'), profile: v.profile.name });
    }
    return out;
  },
};
`,
  'test/rules/zz-demo.test.ts': `import { expect, it } from 'vitest';
import { lintText, profile } from '../helpers/lint.ts';

it('reports a charset that is not UTF-8, by message id', () => {
  expect(lintText(profile(['charset: latin1'])).filter((d) => d.ruleId === 'zz-demo').map((d) => d.messageId)).toEqual(['notUtf8']);
  expect(lintText(profile(['charset: UTF-8'])).filter((d) => d.ruleId === 'zz-demo')).toEqual([]);
});
`,
  'src/checks/dns-zzdemo.ts': `import type { Check, CheckOutcome } from './types.ts';

/** \`dns.zzdemo\`: a demonstration check. */
export const dnsZzdemo: Check = {
  meta: {
    id: 'dns.zzdemo',
    title: 'demonstration',
    description: 'a demonstration check that always passes',
    outcomes: { pass: 'always' },
    needs: ['dns'],
    groups: ['zzdemo'],
    messages: { ok: 'fine for {{profile}}' },
  },
  appliesTo: () => true,
  requires: () => [],
  async run(ctx): Promise<CheckOutcome> {
    return { status: 'pass', messageId: 'ok', data: { profile: ctx.profile.name } };
  },
};
`,
  'test/checks/zzdemo.test.ts': `import { expect, it } from 'vitest';
import { runChecks } from '../../src/checks/run.ts';

it('runs when selected', async () => {
  const r = await runChecks([{ name: 'p', transport: 'smtp', host: '127.0.0.1', bcc: [] }], { env: {}, baseDir: '.', timeoutMs: 500, deadlineMs: 2000, concurrency: 1, only: ['zzdemo'] });
  expect(r).toMatchObject([{ id: 'dns.zzdemo', status: 'pass', messageId: 'ok' }]);
});
`,
  'src/render/zz-demo.ts': `import { banner, defineRenderer } from './model.ts';

export const renderer = defineRenderer({
  id: 'zz-demo',
  title: 'Demo app',
  writes: '\`demo.conf\` with host and port',
  status: 'unverified',
  cannot: {},
  build(ctx) {
    return [{ name: 'demo.conf', content: \`\${banner('Demo app', ctx.m)}\\nhost=\${ctx.m.host}\\nport=\${ctx.m.port}\\n\` }];
  },
});
`,
  'src/report/zzdemo.ts': `import type { Reporter } from '../types.ts';

/** A demonstration format: the summary as one line. */
export const zzdemo: Reporter = (report) => \`\${report.summary.errors} errors\\n\`;
`,
  'test/report/zzdemo.test.ts': `import { expect, it } from 'vitest';
import { zzdemo } from '../../src/report/zzdemo.ts';
import { options, report } from './fixture.ts';

it('prints the error count', () => {
  expect(zzdemo(report, options())).toMatch(/^\\d+ errors\\n$/);
});
`,
};

describe('extending the tool', () => {
  it('a rule, a check, a target and a format: module + registry line + test, then npm run docs', () => {
    // the tree as it is (the build's outputs, node_modules and .git aside)
    for (const name of readdirSync(root)) {
      if (['node_modules', 'dist', '.git'].includes(name)) continue;
      cpSync(join(root, name), join(copy, name), { recursive: true });
    }
    symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'));
    for (const [file, text] of Object.entries(MODULES)) writeFileSync(join(copy, file), text);
    addToRegistry('src/rules/index.ts', "import { rule as zzDemo } from './zz-demo.ts';", 'export const RULES', 'zzDemo');
    addToRegistry('src/checks/index.ts', "import { dnsZzdemo } from './dns-zzdemo.ts';", 'export const CHECKS', 'dnsZzdemo');
    addToRegistry('src/render/index.ts', "import { renderer as zzDemo } from './zz-demo.ts';", 'const ALL', 'zzDemo');
    addToRegistry('src/report/index.ts', "import { zzdemo } from './zzdemo.ts';", 'export const REPORTERS = {', 'zzdemo');

    const run = (args: string[], env: Record<string, string> = {}) =>
      execFileSync(process.execPath, args, { cwd: copy, env: { ...process.env, ...env, NO_COLOR: '1' }, encoding: 'utf8', stdio: 'pipe', timeout: 180_000 });
    const vitest = join(copy, 'node_modules', 'vitest', 'vitest.mjs');
    run([join(copy, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json', '--noEmit']);
    // the generated parts: the README tables and the new target's golden file
    run([vitest, 'run', 'test/docs.test.ts'], { UPDATE_README: '1' });
    run([vitest, 'run', '--update', '--testNamePattern', 'zz-demo', 'test/render/golden.test.ts']);
    const out = run([
      vitest,
      'run',
      'test/meta.test.ts',
      'test/docs.test.ts',
      'test/architecture.test.ts',
      'test/render/registry.test.ts',
      'test/render/golden.test.ts',
      'test/rules/zz-demo.test.ts',
      'test/checks/zzdemo.test.ts',
      'test/report/zzdemo.test.ts',
    ]);
    expect(out).toMatch(/Test Files\s+8 passed \(8\)/);
    const readme = readFileSync(join(copy, 'README.md'), 'utf8');
    for (const id of ['zz-demo', 'dns.zzdemo', 'zzdemo']) expect(readme).toContain(`\`${id}\``);
  }, 300_000);
});
