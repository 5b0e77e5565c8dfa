import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ConfigStore } from '../../src/exporter/config-store.ts';
import { parseListen, probeDeadline, startExporter, type RunningExporter } from '../../src/exporter/server.ts';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.ts';
import { labelValues, requireProgram, samples, writeProfiles, type ProfilesDir } from './helpers.ts';

let sb: Sandbox;
let files: ProfilesDir;
let exporter: RunningExporter;
let store: ConfigStore;
const bodies: { route: string; body: string }[] = [];

interface Reply {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

function get(path: string, opts: { method?: string; headers?: Record<string, string>; base?: string } = {}): Promise<Reply> {
  const url = new URL(path, opts.base ?? exporter.url);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: opts.method ?? 'GET', headers: opts.headers, timeout: 20_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body, headers: res.headers });
      });
    });
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end();
  });
}

async function scrape(path: string, headers: Record<string, string> = { 'X-Prometheus-Scrape-Timeout-Seconds': '5' }): Promise<Reply> {
  const r = await get(path, { headers });
  bodies.push({ route: path, body: r.body });
  return r;
}

beforeAll(async () => {
  sb = await startSandbox();
  files = await writeProfiles(sb);
  store = new ConfigStore({ paths: [files.file], processEnv: files.env, cwd: files.dir });
  await store.init();
  exporter = await startExporter({
    store,
    listen: { host: '127.0.0.1', port: 0 },
    timeoutMs: 1000,
    maxDeadlineMs: 10_000,
    timeoutOffsetMs: 500,
    resolver: `${sb.dns.host}:${sb.dns.port}`,
    caPem: sb.caPem,
    mtaStsPort: sb.mtaSts.endpoint.port,
  });
});

afterAll(async () => {
  await exporter?.close();
  await sb?.close();
});

describe('/probe', () => {
  test('a good profile: probe_success 1, blackbox names, every check labelled', async () => {
    const r = await scrape('/probe?profile=ssl');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    const s = samples(r.body);
    expect(s.get('probe_success')).toBe(1);
    expect(s.get('probe_duration_seconds')).toBeGreaterThan(0);
    expect(s.get('probe_dns_lookup_time_seconds')).toBeGreaterThanOrEqual(0);
    expect(s.get('probe_ssl_earliest_cert_expiry')).toBeGreaterThan(Date.now() / 1000);
    expect(s.get('probe_tls_version_info{version="TLS 1.3"}')).toBe(1);
    for (const id of ['dns.host', 'smtp.connect', 'smtp.greeting', 'tls.handshake', 'smtp.auth']) {
      expect(s.get(`mailcheck_check_success{check="${id}"}`)).toBe(1);
      expect(s.has(`mailcheck_check_duration_seconds{check="${id}"}`)).toBe(true);
    }
    // no dns.dkim / oauth.token results on this branch: their series are absent
    expect(r.body).not.toContain('mailcheck_dkim_key_bits');
    expect(r.body).not.toContain('mailcheck_oauth_token_expiry_timestamp_seconds');
  });

  test('only= narrows the run (prerequisites included)', async () => {
    const r = await scrape('/probe?profile=starttls&only=tls');
    const s = samples(r.body);
    expect(s.get('probe_success')).toBe(1);
    expect(s.get('mailcheck_check_success{check="tls.handshake"}')).toBe(1);
    expect(s.has('mailcheck_check_success{check="smtp.auth"}')).toBe(false);
    expect(s.has('mailcheck_check_success{check="dns.mx"}')).toBe(false);
  });

  const failing: [string, string, string][] = [
    ['wrong-password', 'smtp.auth', 'rejected'],
    ['expired', 'tls.handshake', 'expired'],
    ['tarpit', 'smtp.greeting', 'timeout-implicit'],
  ];
  for (const [profile, check, reason] of failing) {
    test(`${profile}: probe_success 0, ${check} labelled failing (${reason})`, async () => {
      const r = await scrape(`/probe?profile=${profile}`);
      expect(r.status).toBe(200);
      const s = samples(r.body);
      expect(s.get('probe_success')).toBe(0);
      expect(s.get(`mailcheck_check_success{check="${check}"}`)).toBe(0);
      expect(s.get(`mailcheck_check_failure_info{check="${check}",reason="${reason}"}`)).toBe(1);
      if (profile === 'expired') expect(s.get('probe_ssl_earliest_cert_expiry')).toBeLessThan(Date.now() / 1000);
    });
  }

  test('a probe answers within its deadline (scrape timeout minus the offset)', async () => {
    const r = await scrape('/probe?profile=tarpit&only=greeting', { 'X-Prometheus-Scrape-Timeout-Seconds': '0.9' });
    const s = samples(r.body);
    expect(s.get('probe_success')).toBe(0);
    expect(s.get('probe_duration_seconds')).toBeLessThanOrEqual(0.9);
  });

  test('bad parameters: 400 with one line', async () => {
    for (const path of ['/probe', '/probe?profile=', '/probe?profile=nope', '/probe?profile=ssl&profile=tarpit', '/probe?profile=ssl&only=bogus', '/probe?profile=ssl&target=x']) {
      const r = await get(path);
      expect(r.status, path).toBe(400);
      expect(r.body.trimEnd().split('\n'), path).toHaveLength(1);
      expect(r.body).not.toContain('nope');
    }
    const r = await get('/probe?profile=ssl', { headers: { 'X-Prometheus-Scrape-Timeout-Seconds': 'soon' } });
    expect(r.status).toBe(400);
  });

  test('concurrent scrapes of one profile share one run', async () => {
    const runs = async (): Promise<number> => samples((await get('/metrics')).body).get('mailcheck_exporter_probe_runs_total') ?? -1;
    const before = await runs();
    const sessions = sb.sessions.length;
    const replies = await Promise.all(Array.from({ length: 5 }, () => scrape('/probe?profile=starttls')));
    for (const r of replies) expect(samples(r.body).get('probe_success')).toBe(1);
    expect((await runs()) - before).toBe(1);
    await new Promise((r) => setTimeout(r, 50));
    expect(sb.sessions.slice(sessions).filter((s) => s.listener === 'starttls')).toHaveLength(1);
  });
});

describe('other routes', () => {
  test('GET / lists the profiles with links, escaped', async () => {
    const r = await scrape('/');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toContain('text/html');
    for (const name of ['ssl', 'starttls', 'wrong-password', 'expired', 'tarpit']) expect(r.body).toContain(`href="/probe?profile=${name}"`);
  });

  test('GET /metrics: probes, failures by reason, process metrics, reload status', async () => {
    const r = await scrape('/metrics');
    expect(r.status).toBe(200);
    const s = samples(r.body);
    expect(s.get('mailcheck_exporter_probes_total{result="failure"}')).toBeGreaterThanOrEqual(3);
    expect(s.get('mailcheck_exporter_probe_failures_total{check="smtp.auth",reason="rejected"}')).toBeGreaterThanOrEqual(1);
    expect(s.get('mailcheck_exporter_config_last_reload_successful')).toBe(1);
    expect(s.has('process_cpu_seconds_total')).toBe(true);
  });

  test('unknown route 404, wrong method 405, healthy 200', async () => {
    expect((await get('/nope')).status).toBe(404);
    expect((await get('/-/reload')).status).toBe(405);
    expect((await get('/probe?profile=ssl', { method: 'POST' })).status).toBe(405);
    expect((await get('/-/healthy')).status).toBe(200);
  });
});

describe('reload', () => {
  test('POST /-/reload: a file that no longer lints keeps the last good configuration and is reported', async () => {
    const good = readFileSync(files.file, 'utf8');
    try {
      writeFileSync(files.file, good.replace('    port: ', '    prot: '));
      const r = await get('/-/reload', { method: 'POST' });
      expect(r.status).toBe(500);
      expect(r.body.trimEnd().split('\n')).toHaveLength(1);
      const m = await scrape('/metrics');
      const s = samples(m.body);
      expect(s.get('mailcheck_exporter_config_last_reload_successful')).toBe(0);
      expect(s.get('mailcheck_exporter_config_last_reload_error_info{reason="schema"}')).toBe(1);
      expect(s.get('mailcheck_exporter_config_reloads_total{result="failure"}')).toBe(1);
      // still probing with the last good configuration
      expect(samples((await scrape('/probe?profile=ssl&only=connect')).body).get('probe_success')).toBe(1);
    } finally {
      writeFileSync(files.file, good);
    }
    // a new profile appears after a good reload
    writeFileSync(files.file, good.replace('  starttls:\n', '  renamed:\n'));
    expect((await get('/-/reload', { method: 'POST' })).status).toBe(200);
    expect((await get('/probe?profile=renamed&only=connect')).status).toBe(200);
    expect((await get('/probe?profile=starttls&only=connect')).status).toBe(400);
    const s = samples((await get('/metrics')).body);
    expect(s.get('mailcheck_exporter_config_last_reload_successful')).toBe(1);
    expect([...s.keys()].some((k) => k.startsWith('mailcheck_exporter_config_last_reload_error_info'))).toBe(false);
    writeFileSync(files.file, good);
    expect((await get('/-/reload', { method: 'POST' })).status).toBe(200);
  });
});

describe('auth, IPv6', () => {
  test('bearer token and basic auth, compared to the secret; /-/healthy open', async () => {
    const token = 'scrape-token-' + 'Zk3'.repeat(4);
    const ex = await startExporter({
      store,
      listen: { host: '::1', port: 0 },
      timeoutMs: 1000,
      maxDeadlineMs: 5000,
      timeoutOffsetMs: 500,
      auth: () => ({ token, username: 'prom' }),
    });
    try {
      expect(ex.url).toMatch(/^http:\/\/\[::1\]:\d+$/);
      const base = ex.url;
      const none = await get('/metrics', { base });
      expect(none.status).toBe(401);
      expect(none.headers['www-authenticate']).toContain('Basic');
      expect((await get('/metrics', { base, headers: { Authorization: 'Bearer nope' } })).status).toBe(401);
      expect((await get('/metrics', { base, headers: { Authorization: `Bearer ${token}` } })).status).toBe(200);
      const basic = (u: string, p: string): string => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;
      expect((await get('/', { base, headers: { Authorization: basic('prom', token) } })).status).toBe(200);
      expect((await get('/', { base, headers: { Authorization: basic('other', token) } })).status).toBe(401);
      expect((await get('/-/healthy', { base })).status).toBe(200);
    } finally {
      await ex.close();
    }
  });
});

describe('helpers', () => {
  test('--listen forms', () => {
    expect(parseListen('127.0.0.1:9465')).toEqual({ host: '127.0.0.1', port: 9465 });
    expect(parseListen('[::1]:9465')).toEqual({ host: '::1', port: 9465 });
    expect(parseListen(':9465')).toEqual({ host: '127.0.0.1', port: 9465 });
    expect(() => parseListen('::1:9465')).toThrow(/--listen/);
    expect(() => parseListen('host:99999')).toThrow(/--listen/);
  });

  test('deadline: scrape timeout minus the offset, capped', () => {
    expect(probeDeadline(undefined, 30_000, 500)).toBe(30_000);
    expect(probeDeadline('10', 30_000, 500)).toBe(9500);
    expect(probeDeadline('60', 30_000, 500)).toBe(30_000);
    expect(probeDeadline('0.4', 30_000, 500)).toBe(200);
  });
});

describe('every body', () => {
  test('promtool check metrics passes on /probe and /metrics bodies', () => {
    const promtool = requireProgram('promtool');
    const exposition = bodies.filter((b) => b.route !== '/');
    expect(exposition.length).toBeGreaterThan(5);
    for (const { route, body } of exposition) {
      const r = spawnSync(promtool, ['check', 'metrics'], { input: body, encoding: 'utf8', timeout: 20_000 });
      expect({ route, status: r.status, out: r.stdout + r.stderr }).toEqual({ route, status: 0, out: '' });
    }
  });

  test('no secret and no address in any body or label', () => {
    expect(bodies.length).toBeGreaterThan(5);
    for (const { route, body } of bodies) {
      for (const secret of files.secrets) expect(body, route).not.toContain(secret);
      expect(body, route).not.toContain(sb.users[0]!.username);
      expect(body, route).not.toContain(sb.caPath);
      if (route === '/') continue;
      for (const v of labelValues(body)) {
        expect(v, route).not.toMatch(/\b127\.0\.0\.1\b|::1|@|\//);
      }
    }
  });
});
