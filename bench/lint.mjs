// Lint speed and memory (issue: core). Measured side by side in one run, on this machine:
//  - linting one example: median wall vs `node -e 0` (target ≤ 1.5×)
//  - 1,000 files in one invocation (target < 3 s)
//  - peak memory of that run (target < 80 MiB)
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin', 'mailcheck.cjs');
const env = { ...process.env, NO_COLOR: '1' };

function wall(args) {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  return { ms, status: r.status, stderr: r.stderr };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

export async function run({ rounds = 25 } = {}) {
  const example = join(root, 'examples', 'gmail', 'mail.yaml');
  // warm the file cache once
  wall(['-e', '0']);
  wall([bin, 'lint', example]);
  const base = [];
  const lint = [];
  for (let i = 0; i < rounds; i++) {
    // interleaved, so load on the machine hits both alike
    base.push(wall(['-e', '0']).ms);
    const r = wall([bin, 'lint', example]);
    if (r.status !== 0) throw new Error(`lint of the example exited ${r.status}: ${r.stderr}`);
    lint.push(r.ms);
  }
  const nodeMs = median(base);
  const lintMs = median(lint);

  const dir = mkdtempSync(join(tmpdir(), 'mailcheck-bench-'));
  const text = readFileSync(example, 'utf8');
  for (let i = 0; i < 1000; i++) {
    const sub = join(dir, `app-${String(i).padStart(4, '0')}`);
    mkdirSync(sub);
    writeFileSync(join(sub, 'mail.yaml'), text.replace('billing@gmail.com', `billing${i}@gmail.com`));
  }
  const many = wall(['-r', join(root, 'bench', 'maxrss.cjs'), bin, 'lint', dir]);
  rmSync(dir, { recursive: true, force: true });
  if (many.status !== 0) throw new Error(`lint of 1,000 files exited ${many.status}`);
  const maxRssKb = Number(/MAXRSS_KB=(\d+)/.exec(many.stderr)?.[1] ?? NaN);

  return [
    { name: 'lint one example (median wall)', value: `${lintMs.toFixed(1)} ms`, reference: `node -e 0: ${nodeMs.toFixed(1)} ms`, ratio: lintMs / nodeMs, target: '≤ 1.5× node -e 0', ok: lintMs / nodeMs <= 1.5 },
    { name: 'lint 1,000 files, one invocation', value: `${many.ms.toFixed(0)} ms`, target: '< 3000 ms', ok: many.ms < 3000 },
    { name: 'peak memory, 1,000 files', value: `${(maxRssKb / 1024).toFixed(1)} MiB`, target: '< 80 MiB', ok: maxRssKb / 1024 < 80 },
  ];
}
