import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync, openSync, ftruncateSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'mailcheck.cjs');

function run(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: options.cwd ?? root,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '', CI: 'true', ...options.env },
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const tmp = (): string => mkdtempSync(join(tmpdir(), 'mailcheck-cli-'));
const GOOD = ['gmail', 'office365-xoauth2', 'self-hosted-relay', 'manager-io'];

describe('mailcheck lint (built CLI)', () => {
  it.each(GOOD)('lints examples/%s clean with exit 0', (name) => {
    const r = run(['lint', `examples/${name}`]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('names each rule of the broken example at its line, exit 1', () => {
    const r = run(['lint', 'examples/broken', '--format', 'json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { files: { diagnostics: { ruleId: string; line: number }[] }[] };
    const found = report.files[0]!.diagnostics.map((d) => `${d.ruleId}@${d.line}`);
    expect(found).toEqual(
      expect.arrayContaining([
        'port-encryption-mismatch@7',
        'plaintext-secret@10',
        'invalid-address@12',
        'header-injection@13',
        'tls-verify-disabled@15',
        'weak-tls-version@16',
        'port-25-submission@19',
        'cleartext-auth@20',
        'from-required@22',
        'schema@26',
        'schema@27',
      ]),
    );
    expect(r.stdout).not.toContain('hunter2');
  });

  it('prints the stylish report with source excerpts and a summary, no colour under NO_COLOR', () => {
    const r = run(['lint', 'examples/broken']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('examples/broken/mail.yaml');
    expect(r.stdout).toMatch(/7:17\s+error/);
    expect(r.stdout).toContain('port-encryption-mismatch');
    expect(r.stdout).not.toContain('hunter2');
    expect(r.stdout).not.toMatch(/\u001b\[/);
  });

  it('colours only when asked (FORCE_COLOR), never with --no-color', () => {
    expect(run(['lint', 'examples/broken'], { env: { NO_COLOR: '', FORCE_COLOR: '1' } }).stdout).toMatch(/\u001b\[/);
    expect(run(['lint', 'examples/broken', '--no-color'], { env: { NO_COLOR: '', FORCE_COLOR: '1' } }).stdout).not.toMatch(/\u001b\[/);
  });

  it('exits 2 with one clear line for a missing file', () => {
    const r = run(['lint', 'nope/mail.yaml']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')[0]).toBe('mailcheck: nope/mail.yaml not found');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('defaults to ./mail.yaml and explains how to create one', () => {
    const r = run(['lint'], { cwd: tmp() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('mail.yaml not found');
    expect(r.stderr).toContain('mailcheck init');
  });

  it('exits 2 on bad flags', () => {
    expect(run(['lint', 'examples/gmail', '--format', 'xml']).code).toBe(2);
    expect(run(['lint', 'examples/gmail', '--rule', 'no-such-rule=off']).code).toBe(2);
    expect(run(['lint', 'examples/gmail', '--rule', 'schema']).code).toBe(2);
    expect(run(['lint', 'examples/gmail', '--max-warnings', 'lots']).code).toBe(2);
    expect(run(['lnit']).code).toBe(2);
  });

  it('applies --rule and --max-warnings', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'mail.yaml'), 'version: 1\nprofiles:\n  a:\n    host: h.acme.example\n    port: 587\n    encryption: starttls\n    from: a@acme.example\n    tls: { verify: false }\n');
    expect(run(['lint'], { cwd: dir }).code).toBe(0);
    expect(run(['lint', '--max-warnings', '0'], { cwd: dir }).code).toBe(1);
    expect(run(['lint', '--rule', 'tls-verify-disabled=error'], { cwd: dir }).code).toBe(1);
    const quiet = run(['lint', '--quiet', '--format', 'json'], { cwd: dir });
    expect((JSON.parse(quiet.stdout) as { summary: { warnings: number } }).summary.warnings).toBe(0);
  });

  it('finds every mail.yaml and *.mail.yaml in folders and globs', () => {
    const dir = tmp();
    mkdirSync(join(dir, 'a', 'b'), { recursive: true });
    mkdirSync(join(dir, 'node_modules', 'x'), { recursive: true });
    const ok = 'version: 1\nprofiles:\n  a: { host: h.acme.example, port: 587, encryption: starttls, from: a@acme.example }\n';
    writeFileSync(join(dir, 'a', 'mail.yaml'), ok);
    writeFileSync(join(dir, 'a', 'b', 'prod.mail.yaml'), ok);
    writeFileSync(join(dir, 'a', 'b', 'other.yaml'), 'not: linted\n');
    writeFileSync(join(dir, 'node_modules', 'x', 'mail.yaml'), 'broken: [\n');
    const folder = JSON.parse(run(['lint', '.', '--json'], { cwd: dir }).stdout) as { files: { path: string }[] };
    expect(folder.files.map((f) => f.path)).toEqual([join('a', 'b', 'prod.mail.yaml'), join('a', 'mail.yaml')]);
    const glob = JSON.parse(run(['lint', 'a/**/*.mail.yaml', '--json'], { cwd: dir }).stdout) as { files: { path: string }[] };
    expect(glob.files.map((f) => f.path)).toEqual([join('a', 'b', 'prod.mail.yaml')]);
    expect(run(['lint', 'zzz/*.yaml'], { cwd: dir }).code).toBe(2);
  });

  it('refuses a 50 MB file as yaml-syntax without reading it, exit 1', () => {
    const dir = tmp();
    const file = join(dir, 'mail.yaml');
    const fd = openSync(file, 'w');
    ftruncateSync(fd, 50 * 1024 * 1024);
    closeSync(fd);
    const r = run(['lint', '--json'], { cwd: dir });
    expect(r.code).toBe(1);
    const d = (JSON.parse(r.stdout) as { files: { diagnostics: { ruleId: string; line: number; column: number }[] }[] }).files[0]!.diagnostics;
    expect(d).toMatchObject([{ ruleId: 'yaml-syntax', line: 1, column: 1 }]);
  });

  it.each([
    ['binary', Buffer.from([0x00, 0x01, 0x02, 0xff, 0xfe])],
    ['empty', Buffer.alloc(0)],
    ['a list', Buffer.from('- a\n- b\n')],
  ])('reports a %s file as a diagnostic, exit 1, no stack trace', (_, bytes) => {
    const dir = tmp();
    writeFileSync(join(dir, 'mail.yaml'), bytes);
    const r = run(['lint'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/ 1:\d+\s+error/);
  });

  it('prints --version and --help', () => {
    const pkg = JSON.parse(spawnSync('cat', [join(root, 'package.json')], { encoding: 'utf8' }).stdout) as { version: string };
    expect(run(['--version'])).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
    const help = run(['--help']);
    expect(help.code).toBe(0);
    for (const cmd of ['lint', 'rules', 'schema']) expect(help.stdout).toContain(cmd);
    const lintHelp = run(['lint', '--help']);
    expect(lintHelp.code).toBe(0);
    expect(lintHelp.stdout).toContain('--max-warnings');
    expect(lintHelp.stdout).toContain('Examples:');
  });
});

describe('mailcheck rules / schema (built CLI)', () => {
  it('lists every rule and explains one', () => {
    const list = run(['rules']);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain('port-encryption-mismatch');
    const one = run(['rules', 'cleartext-auth']);
    expect(one.code).toBe(0);
    expect(one.stdout).toContain('Why:');
    expect(one.stdout).toContain('Fix:');
    expect(run(['rules', 'nope']).code).toBe(2);
  });

  it('prints the schema as JSON', () => {
    const r = run(['schema']);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { $id: string }).$id).toMatch(/mail\.schema\.json$/);
  });
});
