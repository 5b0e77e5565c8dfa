// Lint time on hostile files (issue 8, class 8; SPEC §7 "lint time is linear in the file size"):
// generated pathological mail.yaml files just under the 1 MiB cap, each linted by the real CLI in
// stylish and json. Target: every run well under 2 s, and the output bounded (diagnostics are
// capped per rule and file), exit 0 or 1 (never a crash).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin', 'mailcheck.cjs');
const env = { ...process.env, NO_COLOR: '1' };
/** Just under the 1 MiB cap of SPEC §7. */
const CAP = 1024 * 1024 - 64;
const TARGET_MS = 2000;
/** A run that takes this long is stopped: it is a miss either way. */
const KILL_MS = Number(process.env.BENCH_KILL_MS ?? 120_000);

const HEAD = 'version: 1\nprofiles:\n  prod: { host: smtp.acme.example, port: 587, encryption: starttls, from: app@acme.example }\n';

/** Repeats `unit(i)` until the text would pass the size cap (or `count` times). */
function fill(head, unit, tail = '', count = Infinity) {
  const parts = [head];
  let size = head.length + tail.length;
  for (let i = 0; i < count; i++) {
    const u = unit(i);
    if (size + u.length > CAP) break;
    parts.push(u);
    size += u.length;
  }
  parts.push(tail);
  return parts.join('');
}

/** name → file text. Files past the value cap (20,000) are refused early; "at the value cap" cases
 * stay just under it, so that they go through every stage. */
export const CASES = {
  'duplicate keys at the value cap, one flow line': () => fill(`${HEAD}extra: {`, () => 'password: 1, ', 'password: 1}\n', 9_500),
  'profiles at the value cap (valid)': () =>
    fill('version: 1\nprofiles:\n', (i) => `  p${i}:\n    host: smtp.acme.example\n    port: 587\n    encryption: starttls\n    from: app@acme.example\n`, '', 2_100),
  'profiles at the value cap (bad host, secret)': () =>
    fill('version: 1\nprofiles:\n', (i) => `  p${i}:\n    host: "smtp:${i}"\n    port: 587\n    encryption: starttls\n    from: app@acme.example\n    auth: { user: u, password: { vault: x } }\n`, '', 1_150),
  'unknown keys at the value cap (did you mean)': () =>
    fill('version: 1\nprofiles:\n  prod:\n    host: smtp.acme.example\n    port: 587\n    encryption: starttls\n    from: app@acme.example\n', (i) => `    hots${i}: x\n`, '', 9_800),
  'flow sequence at the value cap': () => fill(`${HEAD}targets: [`, () => '1, ', '1]\n', 19_500),
  'diagnostics on one long line at the value cap': () =>
    fill('version: 1\nprofiles: {', (i) => `p${i}: {hots: x, port: 587, encryption: tls}, `, 'z: {}}\n', 2_400),
  'secrets on one line at the value cap': () =>
    fill('version: 1\nprofiles: {', (i) => `p${i}: {host: h.example, port: 587, encryption: starttls, from: a@b.example, auth: {user: u, password: pw${i}}}, `, 'z: {}}\n', 1_200),
  // the reported case: one flow mapping (one line) full of duplicate keys
  'duplicate keys, one flow line': () => fill(`${HEAD}extra: {`, () => 'password: 1, ', 'password: 1}\n'),
  'duplicate keys, block': () => fill(`${HEAD}extra:\n`, () => '  password: 1\n'),
  'deep nesting, flow [': () => {
    const n = Math.floor((CAP - HEAD.length - 20) / 2);
    return `${HEAD}extra: ${'['.repeat(n)}${']'.repeat(n)}\n`;
  },
  'deep nesting, flow {': () => {
    const n = Math.floor((CAP - HEAD.length - 20) / 5);
    return `${HEAD}extra: ${'{a: '.repeat(n)}1${'}'.repeat(n)}\n`;
  },
  'deep nesting, block "- - -"': () => {
    const n = Math.floor((CAP - HEAD.length - 20) / 2);
    return `${HEAD}extra:\n  ${'- '.repeat(n)}x\n`;
  },
  'deep nesting, block indented': () => {
    const lines = [`${HEAD}extra:\n`];
    let size = lines[0].length;
    for (let d = 1; ; d++) {
      const line = `${' '.repeat(d)}k:\n`;
      if (size + line.length > CAP) break;
      lines.push(line);
      size += line.length;
    }
    return lines.join('');
  },
  'one long line (host)': () => `${HEAD.replace('smtp.acme.example', 'a'.repeat(CAP - HEAD.length - 10))}`,
  'many diagnostics on one long line': () =>
    fill('version: 1\nprofiles: {', (i) => `p${i}: {hots: x, port: 587, encryption: tls}, `, 'z: {}}\n'),
  'many profiles (valid)': () =>
    fill('version: 1\nprofiles:\n', (i) => `  p${i}:\n    host: smtp.acme.example\n    port: 587\n    encryption: starttls\n    from: app@acme.example\n`),
  'many profiles (bad host, secret)': () =>
    fill('version: 1\nprofiles:\n', (i) => `  p${i}:\n    host: "smtp:${i}"\n    port: 587\n    encryption: starttls\n    from: app@acme.example\n    auth: { user: u, password: { vault: x } }\n`),
  'many anchors and aliases': () =>
    fill(`${HEAD}extra:\n`, (i) => `  a${i}: &x${i} v\n  b${i}: *x${i}\n`),
  'alias fan-out': () => fill(`${HEAD}anchor: &a [1, 2, 3]\nextra:\n`, (i) => `  k${i}: *a\n`),
  'huge flow sequence': () => fill(`${HEAD}targets: [`, () => '1, ', '1]\n'),
  'many unknown keys (did you mean)': () =>
    fill('version: 1\nprofiles:\n  prod:\n    host: smtp.acme.example\n    port: 587\n    encryption: starttls\n    from: app@acme.example\n', (i) => `    hots${i}: x\n`),
  'long unknown keys': () =>
    fill('version: 1\nprofiles:\n  prod:\n    host: smtp.acme.example\n    port: 587\n    encryption: starttls\n    from: app@acme.example\n', (i) => `    ${'encryptio'.repeat(200)}${i}: x\n`),
  'many secrets on one line': () =>
    fill('version: 1\nprofiles: {', (i) => `p${i}: {host: h.example, port: 587, encryption: starttls, from: a@b.example, auth: {user: u, password: pw${i}}}, `, 'z: {}}\n'),
};

function lint(file, format) {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['-r', join(root, 'bench', 'cpu-time.cjs'), bin, 'lint', '--format', format, file], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 1024 * 1024 * 1024,
    timeout: KILL_MS,
  });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  const stderr = String(r.stderr ?? '');
  const cpu = Number(/CPU_MS=(\d+)/.exec(stderr)?.[1] ?? NaN);
  return { ms, cpu, status: r.status, signal: r.signal, out: r.stdout?.length ?? 0, stderr: stderr.replace(/\s*CPU_MS=\d+\s*$/, '') };
}

export async function run({ only } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'mailcheck-bench-patho-'));
  const rows = [];
  try {
    for (const [name, make] of Object.entries(CASES)) {
      if (only && !name.includes(only)) continue;
      const text = make();
      const file = join(dir, 'mail.yaml');
      writeFileSync(file, text);
      for (const format of ['stylish', 'json']) {
        const r = lint(file, format);
        const crashed = r.signal !== null || (r.status !== 0 && r.status !== 1);
        const kib = (n) => (n < 10240 ? `${n} B` : `${(n / 1024).toFixed(0)} KiB`);
        rows.push({
          name: `${name} (${kib(Buffer.byteLength(text))}), ${format}`,
          value: `${r.ms.toFixed(0)} ms (cpu ${r.cpu} ms), exit ${r.signal ?? r.status}, output ${kib(r.out)}`,
          target: `≤ ${TARGET_MS} ms, exit 0/1`,
          ok: r.ms <= TARGET_MS && !crashed,
        });
        if (crashed) rows[rows.length - 1].value += ` — ${r.stderr.split('\n').find((l) => l.trim()) ?? ''}`.slice(0, 200);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

// `node bench/lint-pathological.mjs [name filter]` runs this suite alone.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const row of await run({ only: process.argv[2] })) {
    console.log(`${row.ok ? 'ok  ' : 'MISS'}  ${row.name}: ${row.value}   target ${row.target}`);
  }
}
