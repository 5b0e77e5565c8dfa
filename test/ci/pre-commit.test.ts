/**
 * The `mailcheck-lint` pre-commit hook (.pre-commit-hooks.yaml), run by Debian's pre-commit the
 * way a user's project runs it: `pre-commit try-repo` installs this repository as a node hook
 * (npm install, npm pack, npm install -g into its own env) and runs it on the files given.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = join(import.meta.dirname, '..', '..');
const INSTALL = 'run `sudo bash scripts/setup-system.sh` (it installs pre-commit and nodeenv)';

function preCommit(args: string[], cwd: string, home: string, timeout = 600_000) {
  const r = spawnSync('pre-commit', args, { cwd, encoding: 'utf8', timeout, env: { ...process.env, PRE_COMMIT_HOME: home, NO_COLOR: '1', PRE_COMMIT_COLOR: 'never' } });
  if (r.error) throw new Error(`pre-commit could not run (${r.error.message}): ${INSTALL}`);
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

function git(args: string[], cwd: string): void {
  const r = spawnSync('git', ['-c', 'user.email=ci@example.org', '-c', 'user.name=ci', ...args], { cwd, encoding: 'utf8', timeout: 30_000 });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
}

describe('pre-commit hook mailcheck-lint', () => {
  let dir: string;
  let project: string;
  let home: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mailcheck-pre-commit-'));
    project = join(dir, 'project');
    home = join(dir, 'home');
    mkdirSync(join(project, 'deploy'), { recursive: true });
    copyFileSync(join(root, 'examples', 'broken', 'mail.yaml'), join(project, 'deploy', 'staging.mail.yaml'));
    copyFileSync(join(root, 'examples', 'gmail', 'mail.yaml'), join(project, 'mail.yaml'));
    copyFileSync(join(root, 'README.md'), join(project, 'notes.yaml.md'));
    git(['init', '-q'], project);
    git(['add', '.'], project);
    git(['commit', '-qm', 'init'], project);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('declares the hook as the contract says (node, offline lint, mail.yaml / *.mail.yaml, file names passed)', () => {
    const hooks = parse(readFileSync(join(root, '.pre-commit-hooks.yaml'), 'utf8')) as Record<string, unknown>[];
    const hook = hooks.find((h) => h.id === 'mailcheck-lint');
    expect(hook).toMatchObject({ language: 'node', entry: 'mailcheck lint', pass_filenames: true, files: '(^|/)([^/]*\\.)?mail\\.ya?ml$' });
    const files = new RegExp(String(hook?.files));
    for (const yes of ['mail.yaml', 'mail.yml', 'deploy/mail.yaml', 'deploy/staging.mail.yaml', 'a.b.mail.yml']) expect(files.test(yes), yes).toBe(true);
    for (const no of ['email.yaml', 'mail.yaml.bak', 'gmail.yaml', 'mail.json', 'notes.yaml.md']) expect(files.test(no), no).toBe(false);
    const v = preCommit(['validate-manifest', join(root, '.pre-commit-hooks.yaml')], root, home, 60_000);
    expect(v.out).toBe('');
    expect(v.status).toBe(0);
  });

  it('fails on a broken file with the findings, file:line:col and rule ids, and passes a clean one', () => {
    const broken = preCommit(['try-repo', root, 'mailcheck-lint', '--files', 'deploy/staging.mail.yaml', 'mail.yaml', 'notes.yaml.md'], project, home);
    expect(broken.status, broken.out).toBe(1);
    expect(broken.out).toMatch(/mailcheck lint\.+Failed/);
    expect(broken.out).toContain('deploy/staging.mail.yaml');
    for (const rule of ['cleartext-auth', 'from-required', 'schema']) expect(broken.out).toContain(rule);
    // the hook passed only the matching files: the markdown file was never linted
    expect(broken.out).not.toContain('notes.yaml.md');

    const clean = preCommit(['try-repo', root, 'mailcheck-lint', '--files', 'mail.yaml'], project, home);
    expect(clean.status, clean.out).toBe(0);
    expect(clean.out).toMatch(/mailcheck lint\.+Passed/);
  }, 900_000);
});
