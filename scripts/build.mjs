// Build: generate what the runtime loads precompiled (schema validator, presets bundle), compile
// the library with tsc, bundle the CLI, and record its V8 code cache. Runs on `npm install`
// (prepare) so `npx mailcheck` works straight after a clone.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
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

for (const step of ['build-schema.mjs', 'build-presets.mjs']) {
  const file = join(root, 'scripts', step);
  if (existsSync(file)) await (await import(file)).default(root);
}

// Type errors are the typecheck step's verdict (`npm run typecheck`, part of `npm test`); the
// emitted JavaScript is still usable, so the build goes on and says so.
const r = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (r.status !== 0) console.error('mailcheck build: tsc reported type errors (above); run `npm run typecheck`');

await (await import(join(root, 'scripts', 'build-cli.mjs'))).default(root);

// Record the code caches with real runs, so the functions each command needs are in them: a
// lint run (its flavour runs under --no-opt) and a render run (the flavour of every other
// command); bin/mailcheck.cjs then caches the top level of the bundle files neither run loaded.
const example = join(root, 'examples', 'gmail', 'mail.yaml');
const runs = existsSync(example)
  ? [['lint', example], ['render', example, '--target', 'env']]
  : [['lint', '--help'], ['render', '--help']];
for (const args of runs) {
  spawnSync(process.execPath, [join(root, 'bin', 'mailcheck.cjs'), ...args], {
    env: { ...process.env, MAILCHECK_WRITE_CODE_CACHE: '1', NO_COLOR: '1' },
    stdio: 'ignore',
  });
}
