// The wire at its floor (issue "a house that is cheap to extend, and a check at the round-trip
// floor"). Against a peer no one here wrote — Debian's aiosmtpd, with STARTTLS required before
// AUTH — behind a latency proxy (bench/latency-proxy.mjs) at 0 ms and 50 ms of round-trip time,
// side by side in one run, each a whole process as a user or CI starts it:
//  - `mailcheck check` of one STARTTLS profile (lint, DNS of the From domain through the proxied
//    resolver, one SMTP session with login), vs nodemailer `verify()`, vs `swaks --quit-after AUTH`
//  - the round trips each client's session costs (counted by the proxy)
//  - 50 profiles in one `check --concurrency 50` vs one profile (the same process, the same peer)
// The DNS answers come from the sandbox's responder (ours), behind the same latency.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startLatencyProxy } from './latency-proxy.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => pathToFileURL(join(root, 'dist', p)).href;
const DOMAIN = 'bench.example';
const USER = `bench@${DOMAIN}`;
const PASSWORD = 'bench-Pa55-word';

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

async function freePort() {
  const s = createServer();
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address();
  await new Promise((r) => s.close(r));
  return port;
}

/** Runs a command to its end without blocking this process (the proxy lives here). */
async function timedRun(cmd, args, env) {
  const t = process.hrtime.bigint();
  const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 });
  let out = '';
  child.stdout.on('data', (c) => (out += c));
  child.stderr.on('data', (c) => (out += c));
  const [status] = await once(child, 'close');
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${status}: ${out.slice(0, 600)}`);
  return ms;
}

export async function run({ rounds = 11 } = {}) {
  const python = ['/usr/bin/python3', 'python3'].find((p) => spawnSync(p, ['-c', 'import aiosmtpd'], { stdio: 'ignore' }).status === 0);
  if (!python) throw new Error('python3-aiosmtpd is missing: run `bash scripts/setup-system.sh` (as root) first');
  if (spawnSync('swaks', ['--version'], { stdio: 'ignore' }).status !== 0) throw new Error('swaks is missing: run `bash scripts/setup-system.sh` (as root) first');

  const { generateCerts } = await import(dist('sandbox/certs.js'));
  const { startDnsServer, sandboxZone } = await import(dist('sandbox/index.js'));
  const dir = mkdtempSync(join(tmpdir(), 'mailcheck-wire-'));
  const certs = await generateCerts({ domain: DOMAIN });
  const kc = certs.get('server');
  const caPath = join(dir, 'ca.pem');
  writeFileSync(caPath, certs.caPem);
  writeFileSync(join(dir, 'cert.pem'), kc.cert);
  writeFileSync(join(dir, 'key.pem'), kc.key);

  const peerPort = await freePort();
  const peer = spawn(python, [join(root, 'bench', 'aiosmtpd-peer.py'), String(peerPort), join(dir, 'cert.pem'), join(dir, 'key.pem'), USER, PASSWORD], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  await once(peer.stdout, 'data');
  const dns = await startDnsServer({
    zones: [DOMAIN],
    // the relay's reverse name (dns.ptr): a real relay has one; without it the check would fail
    records: [...sandboxZone(DOMAIN, '127.0.0.1', { ssl: peerPort, starttls: peerPort }), { name: '1.0.0.127.in-addr.arpa', type: 'PTR', target: `smtp.${DOMAIN}` }],
  });

  const rows = [];
  try {
    for (const rttMs of [0, 50]) {
      const proxy = await startLatencyProxy({ rttMs, target: { host: '127.0.0.1', port: peerPort }, udpTarget: { host: dns.endpoint.host, port: dns.endpoint.port } });
      const yamlPath = join(dir, `mail-${rttMs}.yaml`);
      writeFileSync(
        yamlPath,
        [
          'version: 1',
          'profiles:',
          '  bench:',
          '    host: 127.0.0.1',
          `    port: ${proxy.port}`,
          '    encryption: starttls',
          `    auth: { method: plain, username: ${USER}, password: "\${BENCH_PASSWORD}" }`,
          `    from: { address: ${USER} }`,
          `    tls: { ca: ${JSON.stringify(caPath)}, servername: smtp.${DOMAIN} }`,
          'rules: { port-25-submission: off, preset-mismatch: off }',
          '',
        ].join('\n'),
      );
      // the same profile fifty times over, checked in one process (`--concurrency 50`)
      const manyPath = join(dir, `many-${rttMs}.yaml`);
      const one = readFileSync(yamlPath, 'utf8').split('\n');
      const body = one.slice(3, 9);
      writeFileSync(
        manyPath,
        ['version: 1', 'profiles:', ...Array.from({ length: 50 }, (_, i) => [`  bench-${i}:`, ...body]).flat(), one[9], ''].join('\n'),
      );
      const env = { BENCH_PASSWORD: PASSWORD, NO_COLOR: '1', CI: 'true' };
      const contenders = {
        check: () => timedRun(process.execPath, [join(root, 'bin', 'mailcheck.cjs'), 'check', yamlPath, '--resolver', `127.0.0.1:${proxy.udpPort}`, '--format', 'json'], env),
        verify: () => timedRun(process.execPath, [join(root, 'bench', 'verify-child.mjs'), '127.0.0.1', String(proxy.port), caPath, USER], env),
        swaks: () =>
          timedRun('swaks', ['--server', `127.0.0.1:${proxy.port}`, '--tls', '--tls-verify', '--tls-ca-path', caPath, '--tls-sni', `smtp.${DOMAIN}`, '--auth', 'PLAIN', '--auth-user', USER, '--auth-password', PASSWORD, '--quit-after', 'AUTH', '--hide-all'], env),
      };
      // the peer's own floor for that row: 50 bare verify() at once in one process
      contenders.verifyFifty = () => timedRun(process.execPath, [join(root, 'bench', 'verify-child.mjs'), '127.0.0.1', String(proxy.port), caPath, USER, '50'], env);
      contenders.fifty = () =>
        timedRun(process.execPath, [join(root, 'bin', 'mailcheck.cjs'), 'check', manyPath, '--resolver', `127.0.0.1:${proxy.udpPort}`, '--format', 'json', '--concurrency', '50'], env);
      // the same check without the deliverability checks: what they add (no SMTP connection; DNS in parallel)
      contenders.core = () =>
        timedRun(process.execPath, [join(root, 'bin', 'mailcheck.cjs'), 'check', yamlPath, '--resolver', `127.0.0.1:${proxy.udpPort}`, '--format', 'json', '--only', 'host,mx,spf,dmarc,srv,smtp,tls,auth'], env);
      const times = Object.fromEntries(Object.keys(contenders).map((k) => [k, []]));
      const trips = Object.fromEntries(Object.keys(contenders).map((k) => [k, []]));
      const sessions = {};
      for (const name of Object.keys(contenders)) await contenders[name](); // warm caches
      for (let i = 0; i < rounds; i++) {
        const names = Object.keys(contenders);
        const order = i % 2 === 0 ? names : [...names].reverse();
        for (const name of order) {
          const before = proxy.sessions.length;
          times[name].push(await contenders[name]());
          const s = proxy.sessions.slice(before);
          if (s.length) trips[name].push(s.reduce((n, x) => n + x.roundTrips, 0) / s.length);
          sessions[name] = s.length;
        }
      }
      await proxy.close();
      const m = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
      const rt = Object.fromEntries(Object.entries(trips).map(([k, v]) => [k, median(v)]));
      const goal = rttMs === 0 ? 1.2 : 1.0;
      rows.push({
        name: `${rttMs} ms RTT: one STARTTLS profile, full \`check\` (process, median)`,
        value: `${m.check.toFixed(0)} ms`,
        reference: `nodemailer verify(): ${m.verify.toFixed(0)} ms, swaks --quit-after AUTH: ${m.swaks.toFixed(0)} ms`,
        ratio: m.check / m.verify,
        target: `≤ ${goal.toFixed(1)}× verify()`,
        ok: m.check / m.verify <= goal,
      });
      rows.push({
        name: `${rttMs} ms RTT: what the deliverability checks add to a full check`,
        value: `${(m.check - m.core).toFixed(0)} ms`,
        reference: `without them: ${m.core.toFixed(0)} ms; SMTP sessions per check: ${rt.check === rt.core ? 'the same one' : 'different'}`,
        target: rttMs > 0 ? `≤ one extra DNS round (${rttMs} ms)` : 'no SMTP connection',
        ok: rttMs > 0 ? m.check - m.core <= rttMs * 1.5 : true,
      });
      rows.push({
        name: `${rttMs} ms RTT: 50 profiles in one \`check --concurrency 50\` (process, median)`,
        value: `${m.fifty.toFixed(0)} ms`,
        reference: `one profile: ${m.check.toFixed(0)} ms; SMTP sessions per profile: ${(sessions.fifty / 50).toFixed(2)}; the peer's floor, 50 × verify() in one process: ${m.verifyFifty.toFixed(0)} ms (${(m.verifyFifty / m.verify).toFixed(2)}× one verify())`,
        ratio: m.fifty / m.check,
        target: '≤ 2× one profile',
        ok: m.fifty / m.check <= 2 && sessions.fifty === 50,
      });
      if (rttMs > 0) {
        rows.push({
          name: `${rttMs} ms RTT: round trips per SMTP session (counted by the proxy, incl. TCP handshake)`,
          value: `check ${rt.check}`,
          reference: `verify() ${rt.verify}, swaks ${rt.swaks}`,
          target: '≤ verify() and swaks (the protocol floor)',
          ok: rt.check <= rt.verify && rt.check <= rt.swaks,
        });
      }
    }
  } finally {
    peer.stdin.end();
    peer.kill();
    await dns.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const row of await run()) console.log(row);
}
