import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.ts';
import { runCli } from '../helpers/cli.ts';
import { samples, writeProfiles, type ProfilesDir } from './helpers.ts';

/** The built CLI as a process: signals are the interface under test. */
const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'mailcheck.cjs');

let sb: Sandbox;
let files: ProfilesDir;
let child: ChildProcess | undefined;
let stderr = '';

beforeAll(async () => {
  if (!existsSync(join(root, 'dist', 'bundle', 'mailcheck.cjs'))) throw new Error('run `npm run build` first (npm test does)');
  sb = await startSandbox();
  files = await writeProfiles(sb);
});

afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    child.kill('SIGKILL');
    await once(child, 'exit');
  }
  await sb?.close();
});

async function waitFor(pattern: RegExp): Promise<RegExpMatchArray> {
  for (let i = 0; i < 200; i++) {
    const m = pattern.exec(stderr);
    if (m) return m;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no ${pattern} in: ${stderr}`);
}

test('SIGHUP reloads (a broken file keeps the last good configuration); SIGTERM stops after the probe in progress', async () => {
  child = spawn(process.execPath, [bin, 'exporter', files.file, '--listen', '[::1]:0', '--resolver', `${sb.dns.host}:${sb.dns.port}`, '--ca-file', sb.caPath, '--mta-sts-port', String(sb.mtaSts.endpoint.port), '--timeout', '1s'], {
    env: { ...process.env, ...files.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const [, url] = await waitFor(/listening on (http:\/\/\[::1\]:\d+) \(5 profiles/);
  const metric = async (name: string): Promise<number | undefined> => samples(await (await fetch(`${url}/metrics`)).text()).get(name);

  const good = readFileSync(files.file, 'utf8');
  writeFileSync(files.file, good.replace('version: 1', 'version: 1\nbogus: true'));
  child.kill('SIGHUP');
  await waitFor(/not reloaded, keeping the last good one: schema/);
  expect(await metric('mailcheck_exporter_config_last_reload_successful')).toBe(0);
  expect(await metric('mailcheck_exporter_config_last_reload_error_info{reason="schema"}')).toBe(1);
  writeFileSync(files.file, good);
  child.kill('SIGHUP');
  await waitFor(/configuration loaded \(5 profiles\)/);
  expect(await metric('mailcheck_exporter_config_last_reload_successful')).toBe(1);

  // a slow probe (tarpit, 1 s step timeout) is in progress when SIGTERM arrives: it still answers
  const slow = fetch(`${url}/probe?profile=tarpit&only=greeting`, { headers: { 'X-Prometheus-Scrape-Timeout-Seconds': '3' } });
  await new Promise((r) => setTimeout(r, 200));
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const reply = await slow;
  expect(reply.status).toBe(200);
  expect(samples(await reply.text()).get('probe_success')).toBe(0);
  const [code] = (await exited) as [number | null];
  expect(code).toBe(0);
  expect(stderr).toContain('stopping after the probes in progress');
  for (const secret of files.secrets) expect(stderr).not.toContain(secret);
});

test('a file with lint errors does not start: the report, exit 1', async () => {
  const bad = join(files.dir, 'bad.mail.yaml');
  writeFileSync(bad, 'version: 1\nprofiles:\n  x:\n    host: smtp.example.org\n    port: 465\n    encryption: tls\n');
  const r = await runCli(['exporter', bad, '--listen', '127.0.0.1:0'], { cwd: files.dir });
  expect(r.code).toBe(1);
  expect(r.stdout).toContain('schema');
});

test('usage errors exit 2 with one line', async () => {
  for (const args of [['--listen', 'nowhere'], ['--auth-user', 'prom'], ['--auth-token-env', 'A', '--auth-token-file', 'f']]) {
    const r = await runCli(['exporter', files.file, ...args], { cwd: files.dir, env: files.env });
    expect(r.code, args.join(' ')).toBe(2);
    expect(r.stderr).toMatch(/^mailcheck: /);
  }
  const r = await runCli(['exporter', files.file, '--auth-token-env', 'NOT_SET_ANYWHERE', '--listen', '127.0.0.1:0'], { cwd: files.dir, env: files.env });
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('NOT_SET_ANYWHERE');
});

test('lint does not load prom-client', async () => {
  const r = spawn(process.execPath, ['--require', join(root, 'test', 'fixtures', 'trace-loads.cjs'), bin, 'lint', files.file], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  let out = '';
  r.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  r.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  await once(r, 'exit');
  expect(out).toContain('LOADED: ');
  expect(out).not.toContain('prom-client');
});
