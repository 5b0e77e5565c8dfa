import { lstatSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';

const root = join(import.meta.dirname, '..', '..');
const broken = join(root, 'examples', 'broken', 'mail.yaml');
const dir = mkdtempSync(join(tmpdir(), 'mailcheck-report-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('--report FORMAT=FILE', () => {
  it('writes each format as that format alone would print it, beside the stdout report, with the same exit code', async () => {
    const r = await runCli(['lint', broken, '--format', 'github', '--report', 'markdown=summary.md', '--report', 'json=out/../report.json'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^::error file=/m);
    const md = await runCli(['lint', broken, '--format', 'markdown'], { cwd: dir });
    expect(readFileSync(join(dir, 'summary.md'), 'utf8')).toBe(md.stdout);
    const json = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as { summary: { errors: number } };
    expect(json.summary.errors).toBeGreaterThan(0);
    expect(lstatSync(join(dir, 'summary.md')).mode & 0o777).toBe(0o644);
  });

  it('refuses a spec that is not FORMAT=FILE, an unknown format, a link, a FIFO-like target (exit 2)', async () => {
    for (const spec of ['markdown', 'yaml=x.yaml', '=x', 'MARKDOWN=x.md']) {
      const r = await runCli(['lint', broken, '--report', spec], { cwd: dir });
      expect(r.code, spec).toBe(2);
      expect(r.stderr).toMatch(/--report takes FORMAT=FILE/);
    }
    writeFileSync(join(dir, 'victim.txt'), 'keep me');
    symlinkSync(join(dir, 'victim.txt'), join(dir, 'link.md'));
    const link = await runCli(['lint', broken, '--report', 'markdown=link.md'], { cwd: dir });
    expect(link.code).toBe(2);
    expect(readFileSync(join(dir, 'victim.txt'), 'utf8')).toBe('keep me');
    const folder = await runCli(['lint', broken, '--report', `markdown=${dir}`], { cwd: dir });
    expect(folder.code).toBe(2);
  });
});
