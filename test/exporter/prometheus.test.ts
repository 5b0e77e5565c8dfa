import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { parse } from 'yaml';
import { ConfigStore } from '../../src/exporter/config-store.ts';
import { startExporter, type RunningExporter } from '../../src/exporter/server.ts';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.ts';
import { requireProgram, writeProfiles, type ProfilesDir } from './helpers.ts';

/**
 * A real Prometheus (Debian's package) on loopback, with the shipped scrape config and alert
 * rules adapted to a temporary directory, scrapes the exporter, which probes the sandbox. The
 * stored series are read back through Prometheus' HTTP API.
 */
const root = join(import.meta.dirname, '..', '..');
const PROFILES = ['ssl', 'starttls', 'wrong-password', 'expired', 'tarpit'];

let sb: Sandbox;
let files: ProfilesDir;
let exporter: RunningExporter;
let prom: ChildProcess | undefined;
let promUrl = '';
let dir = '';
let promLog = '';
let guard: NodeJS.Timeout | undefined;

async function freePort(): Promise<number> {
  const s = createServer();
  s.listen(0, '127.0.0.1');
  await once(s, 'listening');
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

interface Vector {
  metric: Record<string, string>;
  value: [number, string];
}

async function api<T>(path: string): Promise<T> {
  const res = await fetch(`${promUrl}${path}`, { signal: AbortSignal.timeout(5000) });
  const body = (await res.json()) as { status: string; data: T };
  if (body.status !== 'success') throw new Error(`prometheus ${path}: ${JSON.stringify(body)}`);
  return body.data;
}

async function query(q: string): Promise<Vector[]> {
  return (await api<{ result: Vector[] }>(`/api/v1/query?query=${encodeURIComponent(q)}`)).result;
}

/** Polls until `ok` holds (at most 120 rounds of 500 ms). */
async function until<T>(what: string, get: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  let last: T | undefined;
  for (let i = 0; i < 120; i++) {
    try {
      last = await get();
      if (ok(last)) return last;
    } catch {
      // Prometheus still starting
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)}; prometheus log: ${promLog.slice(-2000)}`);
}

beforeAll(async () => {
  const binary = requireProgram('prometheus');
  sb = await startSandbox();
  files = await writeProfiles(sb);
  const store = new ConfigStore({ paths: [files.file], processEnv: files.env, cwd: files.dir });
  await store.init();
  exporter = await startExporter({ store, listen: { host: '127.0.0.1', port: 0 }, timeoutMs: 1000, maxDeadlineMs: 10_000, timeoutOffsetMs: 500, resolver: `${sb.dns.host}:${sb.dns.port}`, caPem: sb.caPem, mtaStsPort: sb.mtaSts.endpoint.port });
  const exporterAt = `127.0.0.1:${exporter.address.port}`;

  // the shipped configuration, pointed at this exporter and sped up
  dir = mkdtempSync(join(tmpdir(), 'mailcheck-prometheus-'));
  const config = parse(readFileSync(join(root, 'deploy', 'prometheus', 'prometheus.yml'), 'utf8')) as {
    global: Record<string, string>;
    scrape_configs: { job_name: string; scrape_interval?: string; scrape_timeout?: string; static_configs: { targets: string[] }[]; relabel_configs?: { replacement?: string; target_label: string }[] }[];
  };
  config.global.scrape_interval = '1s';
  config.global.evaluation_interval = '1s';
  for (const job of config.scrape_configs) {
    job.scrape_interval = '2s';
    job.scrape_timeout = '2s';
    if (job.job_name === 'mailcheck') {
      job.static_configs = [{ targets: PROFILES }];
      for (const r of job.relabel_configs ?? []) if (r.target_label === '__address__') r.replacement = exporterAt;
    } else {
      job.static_configs = [{ targets: [exporterAt] }];
    }
  }
  writeFileSync(join(dir, 'prometheus.yml'), JSON.stringify(config));
  writeFileSync(join(dir, 'mailcheck-alerts.yml'), readFileSync(join(root, 'deploy', 'prometheus', 'mailcheck-alerts.yml')));
  const port = await freePort();
  promUrl = `http://127.0.0.1:${port}`;
  prom = spawn(
    binary,
    [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  prom.stdout!.on('data', (c: Buffer) => (promLog += c.toString()));
  prom.stderr!.on('data', (c: Buffer) => (promLog += c.toString()));
  // bounded: whatever happens, this Prometheus does not outlive the file's tests by much
  guard = setTimeout(() => prom?.kill('SIGKILL'), 180_000);
  guard.unref();
}, 60_000);

afterAll(async () => {
  if (guard) clearTimeout(guard);
  if (prom && prom.exitCode === null && prom.signalCode === null) {
    const exited = once(prom, 'exit');
    prom.kill('SIGTERM');
    const t = setTimeout(() => prom?.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(t);
  }
  await exporter?.close();
  await sb?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('Prometheus stores each profile\'s probe_success and the failing checks', async () => {
  const success = await until('probe_success of every profile', () => query('probe_success{job="mailcheck"}'), (v) => v.length === PROFILES.length);
  const byInstance = Object.fromEntries(success.map((s) => [s.metric.instance, s.value[1]]));
  expect(byInstance).toEqual({ ssl: '1', starttls: '1', 'wrong-password': '0', expired: '0', tarpit: '0' });
  for (const s of success) expect(s.metric.profile).toBe(s.metric.instance);

  const failing = await query('mailcheck_check_success{job="mailcheck"} == 0');
  const pairs = failing.map((s) => `${s.metric.instance} ${s.metric.check}`);
  expect(pairs).toEqual(expect.arrayContaining(['wrong-password smtp.auth', 'expired tls.handshake', 'tarpit smtp.greeting']));
  expect(pairs.some((p) => p.startsWith('ssl ') || p.startsWith('starttls '))).toBe(false);

  const reasons = await query('mailcheck_check_failure_info{job="mailcheck"}');
  expect(reasons.map((s) => `${s.metric.instance} ${s.metric.check} ${s.metric.reason}`)).toEqual(
    expect.arrayContaining(['wrong-password smtp.auth rejected', 'expired tls.handshake expired', 'tarpit smtp.greeting timeout-implicit']),
  );

  const expired = await query('probe_ssl_earliest_cert_expiry{job="mailcheck"} - time() < 0');
  expect(expired.map((s) => s.metric.instance)).toEqual(['expired']);
  const tls = await query('probe_tls_version_info{job="mailcheck",instance="ssl"}');
  expect(tls.map((s) => s.metric.version)).toEqual(['TLS 1.3']);
});

test("Prometheus scrapes the exporter's own metrics and loads the shipped alert rules", async () => {
  const probes = await until('mailcheck_exporter_probes_total', () => query('sum(mailcheck_exporter_probes_total)'), (v) => v.length === 1 && Number(v[0]!.value[1]) >= PROFILES.length);
  expect(Number(probes[0]!.value[1])).toBeGreaterThanOrEqual(PROFILES.length);
  const reload = await query('mailcheck_exporter_config_last_reload_successful');
  expect(reload.map((s) => s.value[1])).toEqual(['1']);
  const rules = await api<{ groups: { name: string; rules: { name: string; health: string }[] }[] }>('/api/v1/rules');
  const group = rules.groups.find((g) => g.name === 'mailcheck');
  expect(group?.rules.map((r) => r.name).sort()).toEqual(['MailCertificateExpiringSoon', 'MailDkimCheckFailing', 'MailOAuthTokenRefreshFailing', 'MailProbeFailing', 'MailcheckExporterConfigReloadFailed']);
  const alerts = await until(
    'MailProbeFailing pending',
    () => api<{ alerts: { labels: Record<string, string>; state: string }[] }>('/api/v1/alerts'),
    (a) => a.alerts.filter((x) => x.labels.alertname === 'MailProbeFailing').length === 3,
  );
  expect(alerts.alerts.filter((x) => x.labels.alertname === 'MailProbeFailing').map((x) => x.labels.instance).sort()).toEqual(['expired', 'tarpit', 'wrong-password']);
  expect(alerts.alerts.filter((x) => x.labels.alertname === 'MailCertificateExpiringSoon').map((x) => x.labels.instance)).toEqual(['expired']);
});

test('no secret or address in any stored label', async () => {
  const series = await api<Record<string, string>[]>(`/api/v1/series?match[]=${encodeURIComponent('{job="mailcheck"}')}`);
  expect(series.length).toBeGreaterThan(20);
  for (const labels of series) {
    for (const [k, v] of Object.entries(labels)) {
      for (const secret of files.secrets) expect(v).not.toContain(secret);
      expect(`${k}=${v}`).not.toMatch(/127\.0\.0\.1|::1|@|sandbox\.mailcheck/);
    }
  }
});
