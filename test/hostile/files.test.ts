/**
 * SPEC §7 "Reads are bounded", "Writes stay where they belong"; issue "Hardening" classes 4 and 5.
 * Special files in every place mailcheck reads or writes: FIFOs (which would block a plain
 * open), private device nodes made with mknod in a temporary folder (never a system path),
 * symbolic links, a 2 GB sparse file. The CLI runs as its own process with a kill timer, so a
 * hang is a failure, not a stuck suite.
 */
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, statSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.ts';

const root = join(import.meta.dirname, '..', '..');
let dir = '';
let sb: Sandbox;
afterAll(async () => {
  await sb?.close();
});

async function mailcheck(args: string[], cwd: string, env: Record<string, string> = {}): Promise<{ code: number | null; out: string; killed: boolean }> {
  // the launcher itself (its `node --` keeps Node from reading an --env-file argument first)
  const child = spawn(join(root, 'bin', 'mailcheck.cjs'), args, { cwd, env: { ...process.env, CI: 'true', NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (c) => (out += c));
  child.stderr.on('data', (c) => (out += c));
  let killed = false;
  const timer = setTimeout(() => {
    killed = true;
    child.kill('SIGKILL');
  }, 15_000);
  const [code] = (await once(child, 'close')) as [number | null];
  clearTimeout(timer);
  return { code, out, killed };
}

const GOOD = (extra = '') =>
  `version: 1\nprofiles:\n  p:\n    host: smtp.example.org\n    port: 587\n    encryption: starttls\n    auth: { method: login, username: app@example.org, password: "\${SMTP_PASSWORD}" }\n    from: { address: app@example.org }\n${extra}`;

beforeAll(async () => {
  sb = await startSandbox();
  dir = mkdtempSync(join(tmpdir(), 'mailcheck-files-'));
  execFileSync('mkfifo', [join(dir, 'fifo')]);
  // a private copy of /dev/zero (major 1, minor 5) and /dev/null (1, 3): never a system path
  execFileSync('mknod', [join(dir, 'zero'), 'c', '1', '5']);
  execFileSync('mknod', [join(dir, 'null'), 'c', '1', '3']);
  writeFileSync(join(dir, 'sparse'), '');
  truncateSync(join(dir, 'sparse'), 2 * 1024 ** 3);
  symlinkSync(join(dir, 'zero'), join(dir, 'zero-link'));
});

describe('reads: never a hang, never unbounded', () => {
  it.each(['fifo', 'zero', 'zero-link', 'sparse'])('mail.yaml named directly: %s', async (name) => {
    const r = await mailcheck(['lint', join(dir, name)], dir);
    expect(r.killed).toBe(false);
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/FIFO|character device|bytes|1 MiB|not a regular file/);
    expect(r.out).not.toMatch(/not found|at .*\.js:\d+/);
  });

  it('a FIFO named mail.yaml in a folder is passed over', async () => {
    const sub = join(dir, 'scan');
    mkdirSync(sub);
    execFileSync('mkfifo', [join(sub, 'mail.yaml')]);
    mkdirSync(join(sub, 'app'));
    writeFileSync(join(sub, 'app', 'mail.yaml'), GOOD());
    const r = await mailcheck(['lint', sub], dir);
    expect(r.killed).toBe(false);
    expect(r.code).toBe(0);
  });

  it.each([
    ['tls.ca', (p: string) => GOOD(`    tls: { ca: ${p} }\n`), ['send', '--to', 'x@example.org', '--timeout', '1s', '--deadline', '5s']],
    ['secret file', (p: string) => GOOD().replace('password: "${SMTP_PASSWORD}"', `password: { file: ${p} }`), ['send', '--to', 'x@example.org', '--timeout', '1s', '--deadline', '5s']],
  ] as const)('%s as a FIFO, a device, a 2 GB sparse file', async (_what, yaml, args) => {
    for (const name of ['fifo', 'zero', 'sparse']) {
      const path = join(dir, `${name}.yaml`);
      writeFileSync(path, yaml(join(dir, name)));
      const r = await mailcheck([args[0], path, ...args.slice(1)], dir, { SMTP_PASSWORD: 'x' });
      expect(r.killed, name).toBe(false);
      expect(r.out, name).toMatch(/FIFO|character device|bytes/);
    }
  }, 60_000);

  it('--env-file as a FIFO or a device', async () => {
    writeFileSync(join(dir, 'env.yaml'), GOOD());
    for (const name of ['fifo', 'zero']) {
      const r = await mailcheck(['render', join(dir, 'env.yaml'), '--target', 'env', '--secrets', 'inline', '--env-file', join(dir, name)], dir);
      expect(r.killed, name).toBe(false);
      expect(r.code, name).toBe(2);
      expect(r.out, name).toMatch(/FIFO|character device/);
    }
  }, 30_000);
});

describe('writes: only regular files, never through a link, never out of the folder', () => {
  it('render --out refuses a device node, a FIFO and a directory, and leaves them as they were', async () => {
    writeFileSync(join(dir, 'render.yaml'), GOOD());
    for (const name of ['null', 'fifo', '.']) {
      const r = await mailcheck(['render', join(dir, 'render.yaml'), '--target', 'env', '--out', join(dir, name)], dir);
      expect(r.killed, name).toBe(false);
      expect(r.code, name).toBe(2);
      expect(r.out, name).toMatch(/character device|FIFO|directory/);
    }
    expect(lstatSync(join(dir, 'null')).isCharacterDevice()).toBe(true);
    expect(lstatSync(join(dir, 'fifo')).isFIFO()).toBe(true);
  }, 30_000);

  it('deploy refuses out: through a symlinked folder, out: ../x, and a symlinked output; a dry run never shows what it refuses', async () => {
    const repo = join(dir, 'repo');
    const outside = join(dir, 'outside');
    mkdirSync(repo);
    mkdirSync(outside);
    writeFileSync(join(outside, 'id_rsa'), '-----BEGIN PRIVATE KEY-----\nTOP-SECRET-KEY-MATERIAL\n-----END PRIVATE KEY-----\n');
    symlinkSync(outside, join(repo, 'linked'));
    symlinkSync(join(outside, 'id_rsa'), join(repo, 'mail.env'));
    const cases: Record<string, string> = { 'linked/mail.env': 'symbolic link', '../escape.env': 'leaves the folder', 'mail.env': 'symbolic link' };
    for (const [out, why] of Object.entries(cases)) {
      // the sandbox's profiles pass every check, so deploy reaches the writes
      writeFileSync(join(repo, 'mail.yaml'), `${sb.mailYaml()}targets:\n  - { target: env, profile: starttls, out: ${out} }\n`);
      const r = await mailcheck(
        ['deploy', '--dry-run', '--resolver', `${sb.dns.host}:${sb.dns.port}`, '--ca-file', sb.caPath, '--mta-sts-port', String(sb.mtaSts.endpoint.port), '--timeout', '2s', '--deadline', '10s'],
        repo,
        sb.env(),
      );
      expect(r.killed, out).toBe(false);
      expect(r.code, out).not.toBe(0);
      expect(r.out, out).toContain(why);
      expect(r.out, out).not.toContain('TOP-SECRET-KEY-MATERIAL');
    }
    expect(readFileSync(join(outside, 'id_rsa'), 'utf8')).toContain('TOP-SECRET-KEY-MATERIAL');
    expect(statSync(join(dir, 'escape.env'), { throwIfNoEntry: false })).toBeUndefined();
  }, 60_000);

  it('init --force never replaces a FIFO or a device', async () => {
    for (const name of ['fifo', 'null']) {
      const r = await mailcheck(['init', '--preset', 'gmail', '--from', 'a@gmail.com', '--out', join(dir, name), '--force'], dir);
      expect(r.killed, name).toBe(false);
      expect(r.code, name).toBe(2);
    }
    expect(lstatSync(join(dir, 'null')).isCharacterDevice()).toBe(true);
  }, 30_000);

  it('new files are 0644, 0600 with inline secrets', async () => {
    writeFileSync(join(dir, 'modes.yaml'), GOOD());
    await mailcheck(['render', join(dir, 'modes.yaml'), '--target', 'env', '--out', join(dir, 'ref.env')], dir);
    await mailcheck(['render', join(dir, 'modes.yaml'), '--target', 'env', '--secrets', 'inline', '--out', join(dir, 'inline.env')], dir, { SMTP_PASSWORD: 'pw-123456' });
    expect(statSync(join(dir, 'ref.env')).mode & 0o777).toBe(0o644);
    expect(statSync(join(dir, 'inline.env')).mode & 0o777).toBe(0o600);
  }, 30_000);
});
