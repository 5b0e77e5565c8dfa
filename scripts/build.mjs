// Build: generate what the runtime loads precompiled (schema validator, presets bundle), then tsc.
// Runs on `npm install` (prepare) so `npx mailcheck` works straight after a clone.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const generated = join(root, 'src', 'generated');
mkdirSync(generated, { recursive: true });

const steps = ['build-schema.mjs', 'build-presets.mjs'];
for (const step of steps) {
  const file = join(root, 'scripts', step);
  if (!existsSync(file)) continue;
  const mod = await import(file);
  await mod.default(root);
}

rmSync(join(root, 'dist'), { recursive: true, force: true });
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
if (!existsSync(tsc)) {
  console.error('mailcheck build: typescript is not installed; run `npm install` first');
  process.exit(1);
}
const r = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
process.exit(r.status ?? 1);
