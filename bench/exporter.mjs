// Exporter overhead (issue 14): a probe's latency (HTTP GET /probe on loopback, the text
// exposition built and parsed back) over a plain `check` of the same profile (lint + every check
// through the same runner), median wall, interleaved. The sandbox runs in a child process.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => pathToFileURL(join(root, 'dist', p)).href;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function timed(fn) {
  const t = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

export async function run({ rounds = 30 } = {}) {
  const { runChecks } = await import(dist('checks/run.js'));
  const { lintPaths } = await import(dist('engine.js'));
  // the probe's own verdict: a failure, or a skip that hides a problem (not "no DKIM selector given")
  const { isFailure } = await import(dist('exporter/probe-metrics.js'));
  const { ConfigStore } = await import(dist('exporter/config-store.js'));
  const { startExporter } = await import(dist('exporter/server.js'));
  const child = fork(join(root, 'bench', 'sandbox-child.mjs'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const [first] = await once(child, 'message');
  const sb = first.ready;
  const dir = mkdtempSync(join(tmpdir(), 'mailcheck-bench-exporter-'));
  let exporter;
  try {
    const user = sb.users[0];
    const file = join(dir, 'mail.yaml');
    writeFileSync(
      file,
      [
        'version: 1',
        'profiles:',
        '  bench:',
        `    host: ${sb.smtp.starttls.host}`,
        `    port: ${sb.smtp.starttls.port}`,
        '    encryption: starttls',
        `    auth: { method: plain, username: ${user.username}, password: "\${SANDBOX_PASSWORD}" }`,
        `    from: { address: ${user.username} }`,
        `    tls: { ca: ${JSON.stringify(sb.caPath)} }`,
        '',
      ].join('\n'),
    );
    const resolver = `${sb.dns.host}:${sb.dns.port}`;
    const check = async () => {
      const [f] = await lintPaths([file], { cwd: dir });
      const results = await runChecks(f.profiles, { env: sb.env, baseDir: f.baseDir, timeoutMs: 5000, deadlineMs: 30_000, resolver, concurrency: 1, caPem: sb.caPem, mtaStsPort: sb.mtaSts.port });
      const bad = results.filter(isFailure);
      if (bad.length) throw new Error(`bench check failed: ${bad.map((r) => `${r.id} ${r.status} ${r.messageId}`).join('; ')}`);
    };
    const store = new ConfigStore({ paths: [file], processEnv: sb.env, cwd: dir });
    await store.init();
    exporter = await startExporter({ store, listen: { host: '127.0.0.1', port: 0 }, timeoutMs: 5000, maxDeadlineMs: 30_000, timeoutOffsetMs: 500, resolver, caPem: sb.caPem, mtaStsPort: sb.mtaSts.port });
    const probe = async () => {
      const res = await fetch(`${exporter.url}/probe?profile=bench`, { headers: { 'X-Prometheus-Scrape-Timeout-Seconds': '30' } });
      const body = await res.text();
      if (!/^probe_success 1$/m.test(body)) throw new Error('bench probe failed');
    };
    await check();
    await probe();
    const checkMs = [];
    const probeMs = [];
    for (let i = 0; i < rounds; i++) {
      if (i % 2 === 0) {
        checkMs.push(await timed(check));
        probeMs.push(await timed(probe));
      } else {
        probeMs.push(await timed(probe));
        checkMs.push(await timed(check));
      }
    }
    const c = median(checkMs);
    const p = median(probeMs);
    return [
      {
        name: 'probe overhead over a plain check of the same profile (median wall)',
        value: `${(p - c).toFixed(1)} ms (probe ${p.toFixed(1)} ms)`,
        reference: `check: ${c.toFixed(1)} ms`,
        ratio: p / c,
        target: '≤ 10 ms',
        ok: p - c <= 10,
      },
    ];
  } finally {
    await exporter?.close();
    child.send('close');
    await once(child, 'exit');
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const row of await run()) console.log(row);
}
