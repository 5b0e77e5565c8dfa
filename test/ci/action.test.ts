/**
 * The GitHub Action (action.yml), run step by step by a small harness that does what the runner
 * does for a composite action: `${{ inputs.* }}` and `${{ steps.*.outputs.* }}` in env, with and
 * working-directory; `if:` conditions; each `run:` with `bash --noprofile --norc -eo pipefail`
 * and the GitHub environment (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, GITHUB_WORKSPACE,
 * GITHUB_ACTION_PATH, RUNNER_TEMP); a `uses:` step is recorded with its inputs, not run. The
 * action's mailcheck is this repository's built CLI (MAILCHECK_BIN), not npx.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = join(import.meta.dirname, '..', '..');
const action = parse(readFileSync(join(root, 'action.yml'), 'utf8')) as Action;

interface Step {
  id?: string;
  name?: string;
  if?: string;
  shell?: string;
  run?: string;
  uses?: string;
  with?: Record<string, string>;
  env?: Record<string, string>;
  'working-directory'?: string;
}
interface Action {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
}

const base = mkdtempSync(join(tmpdir(), 'mailcheck-action-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

interface Run {
  outputs: Record<string, string>;
  summary: string;
  stdout: string;
  /** the exit code of the step that failed the job (0 when every step passed) */
  failed: number;
  uses: { uses: string; with: Record<string, string> }[];
  workspace: string;
}

function runAction(given: Record<string, string>, files: Record<string, string>, runner: Record<string, string> = {}): Run {
  const workspace = mkdtempSync(join(base, 'ws-'));
  const temp = mkdtempSync(join(base, 'tmp-'));
  for (const [name, from] of Object.entries(files)) {
    mkdirSync(join(workspace, name, '..'), { recursive: true });
    copyFileSync(from, join(workspace, name));
  }
  const inputs = Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, given[k] ?? v.default ?? '']));
  const steps: Record<string, Record<string, string>> = {};
  const ctx = (path: string): string => {
    const [scope, ...rest] = path.split('.');
    if (scope === 'inputs') return inputs[rest.join('.')] ?? '';
    if (scope === 'steps' && rest[1] === 'outputs') return steps[rest[0]!]?.[rest.slice(2).join('.')] ?? '';
    throw new Error(`the harness does not know the context ${path}`);
  };
  const expr = (text: string): string => text.replace(/\$\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g, (_, p: string) => ctx(p));
  const condition = (text: string): boolean =>
    text
      .replace(/^\$\{\{\s*|\s*\}\}$/g, '')
      .split('&&')
      .map((t) => t.trim())
      .every((t) => {
        if (t === 'always()') return true;
        const m = /^([A-Za-z0-9_.-]+)\s*(==|!=)\s*'([^']*)'$/.exec(t);
        if (!m) throw new Error(`the harness does not evaluate "${t}"`);
        return m[2] === '==' ? ctx(m[1]!) === m[3] : ctx(m[1]!) !== m[3];
      });
  const out: Run = { outputs: {}, summary: '', stdout: '', failed: 0, uses: [], workspace };
  const summaryFile = join(temp, 'summary.md');
  writeFileSync(summaryFile, '');
  for (const step of action.runs.steps) {
    if (step.if !== undefined ? !condition(step.if) : out.failed !== 0) continue;
    if (step.uses) {
      out.uses.push({ uses: step.uses, with: Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, expr(v)])) });
      continue;
    }
    // the script text itself never carries an expression: inputs reach it only through env
    expect(step.run).not.toMatch(/\$\{\{/);
    const outputFile = join(temp, `output-${step.id ?? 'x'}`);
    writeFileSync(outputFile, '');
    const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run!], {
      cwd: join(workspace, expr(step['working-directory'] ?? '.')),
      encoding: 'utf8',
      timeout: 120_000,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        CI: 'true',
        GITHUB_ACTIONS: 'true',
        GITHUB_WORKSPACE: workspace,
        GITHUB_ACTION_PATH: root,
        GITHUB_OUTPUT: outputFile,
        GITHUB_STEP_SUMMARY: summaryFile,
        RUNNER_TEMP: temp,
        MAILCHECK_BIN: `${process.execPath} ${join(root, 'bin', 'mailcheck.cjs')}`,
        ...runner,
        ...Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, expr(v)])),
      },
    });
    out.stdout += r.stdout;
    if (step.id) {
      steps[step.id] = Object.fromEntries(
        readFileSync(outputFile, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
      );
    }
    if (r.status !== 0) out.failed = r.status ?? 1;
  }
  out.outputs = Object.fromEntries(Object.entries(action.outputs).map(([k, v]) => [k, expr(v.value)]));
  out.summary = readFileSync(summaryFile, 'utf8');
  return out;
}

const broken = join(root, 'examples', 'broken', 'mail.yaml');
const clean = join(root, 'examples', 'gmail', 'mail.yaml');

describe('action.yml', () => {
  it('is valid GitHub Action metadata (SchemaStore schema), a composite action', () => {
    const schema = JSON.parse(readFileSync(join(root, 'test', 'fixtures', 'schemastore', 'github-action.json'), 'utf8')) as object;
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    expect(validate(action) ? [] : validate.errors).toEqual([]);
    expect(action.runs.using).toBe('composite');
    for (const input of ['command', 'paths', 'args', 'sarif', 'summary', 'version']) expect(action.inputs).toHaveProperty(input);
  });

  it('a broken file: annotations, the Markdown summary, SARIF uploaded with its category, counts, and the job fails with exit 1', () => {
    const r = runAction({ sarif: 'true', 'sarif-category': 'mail-settings' }, { 'deploy/mail.yaml': broken });
    expect(r.failed).toBe(1);
    expect(r.outputs['exit-code']).toBe('1');
    expect(Number(r.outputs.errors)).toBeGreaterThan(0);
    expect(Number(r.outputs.warnings)).toBeGreaterThan(0);
    expect(r.stdout).toMatch(/^::error file=deploy\/mail\.yaml,line=\d+,col=\d+.*title=cleartext-auth::/m);
    expect(r.summary).toMatch(/^\| severity \| location \| rule \| message \|$/m);
    expect(r.summary).toContain('port-encryption-mismatch');
    expect(r.uses).toHaveLength(1);
    expect(r.uses[0]!.uses).toMatch(/^github\/codeql-action\/upload-sarif@v\d+$/);
    expect(r.uses[0]!.with.category).toBe('mail-settings');
    const sarif = JSON.parse(readFileSync(r.uses[0]!.with.sarif_file!, 'utf8')) as { version: string; runs: { results: unknown[] }[] };
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0]!.results.length).toBe(Number(r.outputs.errors) + Number(r.outputs.warnings));
  });

  it('a clean file: exit 0, zero counts, a summary, and no SARIF upload unless asked', () => {
    const r = runAction({ paths: 'mail.yaml', args: '--max-warnings 0' }, { 'mail.yaml': clean });
    expect(r.failed).toBe(0);
    expect(r.outputs).toMatchObject({ 'exit-code': '0', errors: '0', warnings: '0', 'sarif-file': '' });
    expect(r.summary).toContain('mailcheck');
    expect(r.uses).toEqual([]);
  });

  it('summary: false writes no summary; paths and working-directory are honoured', () => {
    const r = runAction({ summary: 'false', 'working-directory': 'app', paths: 'config' }, { 'app/config/mail.yaml': clean, 'other/mail.yaml': broken });
    expect(r.failed).toBe(0);
    expect(r.summary).toBe('');
  });

  it('inputs are data, never shell: a hostile path, args or command runs nothing and fails cleanly', () => {
    const r = runAction(
      { paths: 'mail.yaml $(touch pwned-paths) `touch pwned-tick`', args: '--rule x=$(touch pwned-args)' },
      { 'mail.yaml': clean },
    );
    expect(existsSync(join(r.workspace, 'pwned-paths'))).toBe(false);
    expect(existsSync(join(r.workspace, 'pwned-tick'))).toBe(false);
    expect(existsSync(join(r.workspace, 'pwned-args'))).toBe(false);
    expect(r.outputs['exit-code']).toBe('2');
    const bad = runAction({ command: 'lint; touch pwned-command' }, { 'mail.yaml': clean });
    expect(existsSync(join(bad.workspace, 'pwned-command'))).toBe(false);
    expect(bad.outputs['exit-code']).toBe('2');
    expect(bad.failed).toBe(2);
    expect(bad.stdout).toMatch(/^::error title=mailcheck action::input command must be lint or check/m);
    const version = runAction({ version: '1.0.0 --registry=https://evil.example' }, { 'mail.yaml': clean });
    expect(version.outputs['exit-code']).toBe('2');
  });

  it('without MAILCHECK_BIN it runs mailcheck-cli from npm at the version of its own tag (npx --package … -- mailcheck)', () => {
    const bin = mkdtempSync(join(base, 'bin-'));
    const calls = join(bin, 'calls');
    // a stand-in npx: records its arguments, then runs this repository's CLI with what follows `--`
    writeFileSync(join(bin, 'npx'), `#!/usr/bin/env bash\nprintf '%s\\n' "$*" >> '${calls}'\nwhile [[ $# -gt 0 && $1 != -- ]]; do shift; done\nshift 2\nexec '${process.execPath}' '${join(root, 'bin', 'mailcheck.cjs')}' "$@"\n`, { mode: 0o755 });
    const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
    const r = runAction({}, { 'mail.yaml': clean }, { MAILCHECK_BIN: '', PATH: `${bin}:${process.env.PATH}` });
    expect(r.outputs['exit-code']).toBe('0');
    expect(readFileSync(calls, 'utf8')).toMatch(new RegExp(`^--yes --package mailcheck-cli@${version.replace(/\./g, '\\.')} -- mailcheck lint \\. --format github`, 'm'));
    const pinned = runAction({ version: '0.0.9' }, { 'mail.yaml': clean }, { MAILCHECK_BIN: '', PATH: `${bin}:${process.env.PATH}` });
    expect(pinned.outputs['exit-code']).toBe('0');
    expect(readFileSync(calls, 'utf8')).toContain('--package mailcheck-cli@0.0.9 -- mailcheck');
  });
});
