import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixSource } from '../../src/fix.ts';
import { RULES } from '../../src/rules/index.ts';

const root = join(import.meta.dirname, '..', '..');
const fixtures = join(root, 'test', 'fixtures', 'fix');
const now = new Date('2026-12-05T00:00:00Z');
const fix = (text: string, name = 'mail.yaml') => fixSource(name, text, { cwd: fixtures, now });
const read = (name: string): string => readFileSync(join(fixtures, name), 'utf8');
const ids = (r: ReturnType<typeof fix>): string[] => r.fixes.map((f) => `${f.line}:${f.ruleId}/${f.messageId}:${f.before}>${f.after}`);

describe('lint --fix: the repairs (fixSource)', () => {
  it('the fixable rules are the ones the contract names', () => {
    expect(RULES.filter((r) => r.meta.fixable).map((r) => r.meta.id).sort()).toEqual(['port-encryption-mismatch', 'preset-mismatch', 'schema', 'weak-tls-version']);
  });

  it('golden: flow maps, quoted keys and values, comments, blank lines — only the fixed tokens change, in their quoting', () => {
    const r = fix(read('flow-and-quotes.yaml'));
    expect(r.output).toBe(read('flow-and-quotes.fixed.yaml'));
    expect(ids(r)).toEqual([
      '6:schema/tlsAmbiguous:tls>ssl',
      '10:schema/unknownKey:"prot">"port"',
      '11:port-encryption-mismatch/mismatch:"ssl">"starttls"',
      '13:weak-tls-version/weak:\'TLSv1\'>\'TLSv1.2\'',
    ]);
    // what was fixed lints clean for those rules, and fixing again changes nothing
    expect(r.file.diagnostics.filter((d) => ['schema', 'port-encryption-mismatch', 'weak-tls-version'].includes(d.ruleId))).toEqual([]);
    const again = fix(r.output);
    expect(again.output).toBe(r.output);
    expect(again.fixes).toEqual([]);
    expect(again.changed).toBe(false);
  });

  it('golden: what has no one safe fix is left as it was, its finding still reported', () => {
    const text = read('left-alone.yaml');
    const r = fix(text);
    expect(r.output).toBe(text);
    expect(r.fixes).toEqual([]);
    const left = r.file.diagnostics.map((d) => `${d.ruleId}/${d.messageId}`);
    for (const id of ['schema/tlsAmbiguous', 'port-encryption-mismatch/mismatch', 'plaintext-secret/literal', 'schema/unknownKey', 'weak-tls-version/weak']) expect(left).toContain(id);
    expect(r.file.diagnostics.filter((d) => d.fix)).toEqual([]);
    expect(r.output).toContain('hunter2-Literal');
  });

  it("golden: a preset's only host and the only encryption it publishes on a port", () => {
    const r = fix(read('preset.yaml'));
    expect(ids(r)).toEqual(['8:port-encryption-mismatch/mismatch:starttls>ssl', '13:preset-mismatch/host:smtp.sendgrid.com>smtp.sendgrid.net']);
    expect(r.file.diagnostics.filter((d) => d.ruleId === 'preset-mismatch' || d.ruleId === 'port-encryption-mismatch')).toEqual([]);
    expect(fix(r.output).changed).toBe(false);
  });

  it("a preset's host is fixed only when the written one is a slip of it, not another provider's", () => {
    const doc = (host: string): string => `version: 1\nprofiles:\n  p:\n    preset: gmail\n    host: ${host}\n    port: 465\n    encryption: ssl\n    from: a@gmail.com\n`;
    expect(fix(doc('smtp.gmial.com')).output).toBe(doc('smtp.gmail.com'));
    expect(fix(doc('smtp.gmail.co')).output).toBe(doc('smtp.gmail.com'));
    const other = fix(doc('smtp.office365.com'));
    expect(other.changed).toBe(false);
    expect(other.file.diagnostics.map((d) => `${d.ruleId}/${d.messageId}`)).toContain('preset-mismatch/host');
  });

  it("a preset's endpoints marked ref: unverified give no fix, only the finding", () => {
    // MailerSend's host on 2525 with STARTTLS is unverified (presets/mailersend.yaml): the
    // encryption there is not 'repaired' on its word
    const doc = 'version: 1\nprofiles:\n  p:\n    preset: mailersend\n    host: smtp.mailersend.net\n    port: 2525\n    encryption: ssl\n    from: a@acme.example\n';
    const r = fix(doc);
    expect(r.changed).toBe(false);
    expect(r.file.diagnostics.map((d) => `${d.ruleId}/${d.messageId}`)).toContain('preset-mismatch/encryption');
    expect(r.file.diagnostics.filter((d) => d.ruleId === 'preset-mismatch' && d.fix)).toEqual([]);
  });

  it('a value in defaults is fixed only when every profile asks for the same fix', () => {
    const doc = (defaults: string, a: string, b: string): string =>
      `version: 1\ndefaults:\n${defaults}  host: smtp.example.org\n  from: app@example.org\nprofiles:\n  a:\n${a}  b:\n${b}`;
    // ssl suits b (465) but not a (587): changing the shared value would break b
    const split = fix(doc('  encryption: ssl\n', '    port: 587\n', '    port: 465\n'));
    expect(split.changed).toBe(false);
    expect(split.file.diagnostics.find((d) => d.ruleId === 'port-encryption-mismatch')).toBeDefined();
    expect(split.file.diagnostics.filter((d) => d.fix)).toEqual([]);
    // both profiles inherit the weak minimum: one fix of the shared value
    const shared = fix(doc('  tls: { minVersion: TLSv1 }\n', '    port: 587\n    encryption: starttls\n', '    port: 465\n    encryption: ssl\n'));
    expect(shared.output).toContain('  tls: { minVersion: TLSv1.2 }\n');
    expect(shared.fixes).toHaveLength(1);
  });

  const base = (body: string): string => `version: 1\nprofiles:\n  p:\n    host: smtp.acme.example\n    from: a@acme.example\n${body}`;
  const alone: [string, string, string][] = [
    ['encryption: tls on 465 → ssl', '    port: 465\n    encryption: tls\n', '    port: 465\n    encryption: ssl\n'],
    ['encryption: tls on 587 → starttls', '    port: 587\n    encryption: tls\n', '    port: 587\n    encryption: starttls\n'],
    ['ssl on 587 → starttls', '    port: 587\n    encryption: ssl\n', '    port: 587\n    encryption: starttls\n'],
    ['starttls on 465 → ssl', '    port: 465\n    encryption: starttls\n', '    port: 465\n    encryption: ssl\n'],
    ['a misspelt key with one suggestion', '    prot: 587\n    encryption: starttls\n', '    port: 587\n    encryption: starttls\n'],
    ['tls.minVersion below TLSv1.2', '    port: 587\n    encryption: starttls\n    tls:\n      minVersion: TLSv1.1\n', '    port: 587\n    encryption: starttls\n    tls:\n      minVersion: TLSv1.2\n'],
  ];
  for (const [name, before, after] of alone) {
    it(`each fix alone: ${name}`, () => {
      const r = fix(base(before));
      expect(r.output).toBe(base(after));
      expect(r.fixes).toHaveLength(1);
      expect(fix(r.output).changed).toBe(false);
    });
  }

  it('keeps CRLF line ends and a byte order mark', () => {
    const text = `\uFEFF${base('    port: 465\n    encryption: tls\n').replace(/\n/g, '\r\n')}`;
    const r = fix(text);
    expect(r.output).toBe(`\uFEFF${base('    port: 465\n    encryption: ssl\n').replace(/\n/g, '\r\n')}`);
  });

  it('several together in one file, bounded passes', () => {
    const r = fix(base('    prot: 465\n    encryption: tls\n    tls: { minVersion: TLSv1 }\n'));
    expect(r.output).toBe(base('    port: 465\n    encryption: ssl\n    tls: { minVersion: TLSv1.2 }\n'));
    expect(r.passes).toBeGreaterThanOrEqual(2); // the encryption needs the renamed port
    expect(r.passes).toBeLessThanOrEqual(10);
  });
});

describe('mailcheck lint --fix / --fix-dry-run (built CLI)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mailcheck-fix-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const cli = (args: string[], cwd: string) =>
    spawnSync(process.execPath, [join(root, 'bin', 'mailcheck.cjs'), ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', MAILCHECK_NOW: '2026-12-05' }, timeout: 30_000 });

  it('repairs the fixable findings of examples/broken and nothing else; the mode is kept; exit is that of the fixed file', () => {
    const work = mkdtempSync(join(dir, 'broken-'));
    const file = join(work, 'mail.yaml');
    copyFileSync(join(root, 'examples', 'broken', 'mail.yaml'), file);
    chmodSync(file, 0o640);
    const before = readFileSync(file, 'utf8').split('\n');
    const r = cli(['lint', '--fix'], work);
    expect(r.status).toBe(1); // the literal secret, the display-form address… are left for a human
    const after = readFileSync(file, 'utf8').split('\n');
    expect(after).toHaveLength(before.length);
    const changed = before.map((l, i) => (l === after[i] ? 0 : i + 1)).filter(Boolean);
    expect(changed).toEqual([7, 16, 26, 27]);
    expect(statSync(file).mode & 0o777).toBe(0o640);
    expect(r.stderr).toMatch(/mail\.yaml: fixed 4 problems/);
    for (const rule of ['port-encryption-mismatch', 'weak-tls-version', 'schema']) expect(r.stdout).not.toMatch(new RegExp(`\\b${rule}$`, 'm'));
    expect(r.stdout).toMatch(/plaintext-secret$/m);
    expect(cli(['lint', '--fix'], work).stderr).not.toMatch(/fixed/); // idempotent
  });

  it('--fix-dry-run prints the diff and writes nothing; with --format json the diff goes to stderr and stdout stays JSON', () => {
    const work = mkdtempSync(join(dir, 'dry-'));
    const file = join(work, 'mail.yaml');
    copyFileSync(join(root, 'examples', 'broken', 'mail.yaml'), file);
    const original = readFileSync(file, 'utf8');
    const r = cli(['lint', '--fix-dry-run'], work);
    expect(r.status).toBe(1);
    expect(readFileSync(file, 'utf8')).toBe(original);
    expect(r.stdout).toContain('@@ -7 +7 @@\n-    encryption: ssl');
    expect(r.stdout).toContain('+    encryption: starttls');
    const j = cli(['lint', '--fix-dry-run', '--format', 'json'], work);
    const report = JSON.parse(j.stdout) as { files: { fixes?: { ruleId: string }[] }[] };
    expect(report.files[0]!.fixes?.map((f) => f.ruleId)).toEqual(['port-encryption-mismatch', 'weak-tls-version', 'schema', 'schema']);
    expect(j.stderr).toContain('@@ -16 +16 @@');
    expect(readFileSync(file, 'utf8')).toBe(original);
  });

  it('refuses to write through a symbolic link (exit 2, the target untouched)', () => {
    const work = mkdtempSync(join(dir, 'link-'));
    const real = join(work, 'real.yaml');
    copyFileSync(join(fixtures, 'flow-and-quotes.yaml'), real);
    symlinkSync(real, join(work, 'mail.yaml'));
    const r = cli(['lint', '--fix', 'mail.yaml'], work);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/symbolic link/);
    expect(readFileSync(real, 'utf8')).toBe(readFileSync(join(fixtures, 'flow-and-quotes.yaml'), 'utf8'));
  });
});
