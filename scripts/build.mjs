// Build: generate what the runtime loads precompiled (schema validator, presets bundle), compile
// the library with tsc, bundle the CLI, and record its V8 code cache. Runs on `npm install`
// (prepare) so `npx mailcheck` works straight after a clone.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
if (!existsSync(tsc)) {
  console.error('mailcheck build: dev dependencies are missing; run `npm install` first');
  process.exit(1);
}
rmSync(join(root, 'dist'), { recursive: true, force: true });
mkdirSync(join(root, 'src', 'generated'), { recursive: true });

for (const step of ['build-schema.mjs', 'build-presets.mjs', 'build-yaml-push.mjs']) {
  const file = join(root, 'scripts', step);
  if (existsSync(file)) await (await import(file)).default(root);
}

// Type errors are the typecheck step's verdict (`npm run typecheck`, part of `npm test`); the
// emitted JavaScript is still usable, so the build goes on and says so.
const r = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (r.status !== 0) console.error('mailcheck build: tsc reported type errors (above); run `npm run typecheck`');

await (await import(join(root, 'scripts', 'build-cli.mjs'))).default(root);

// Record the code caches with real runs, so the functions each command needs are in them: a lint
// of a folder (its flavour runs under --no-opt), a lint of one file, a render run and a check run
// (the flavour of every other run); bin/mailcheck.cjs then caches the top level of the bundle files neither run loaded.
const example = join(root, 'examples', 'gmail', 'mail.yaml');
// a check that touches only this machine: nothing listens on port 9 of 127.0.0.1, no DNS server
// either, so every step fails at once — and the code of the run, the probe, the DNS client and
// every check is compiled into the cache
const offline = join(mkdtempSync(join(tmpdir(), 'mailcheck-cache-')), 'mail.yaml');
writeFileSync(
  offline,
  'version: 1\nprofiles:\n  p:\n    host: 127.0.0.1\n    port: 9\n    encryption: starttls\n    from: { address: app@cache.invalid }\nrules: { port-25-submission: off, preset-mismatch: off }\n',
);
const runs = existsSync(example)
  ? [['lint', dirname(example)], ['lint', example], ['render', example, '--target', 'env'], ['check', offline, '--resolver', '127.0.0.1:9', '--timeout', '200ms', '--deadline', '2s', '--format', 'json']]
  : [['lint', '--help'], ['render', '--help']];
for (const args of runs) {
  spawnSync(process.execPath, [join(root, 'bin', 'mailcheck.cjs'), ...args], {
    env: { ...process.env, MAILCHECK_WRITE_CODE_CACHE: '1', NO_COLOR: '1' },
    stdio: 'ignore',
  });
}
