/**
 * Runs an application's own parser on a rendered file (round-trip tests). A missing program or
 * library fails the test with the package to install (scripts/setup-system.sh installs them).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const INSTALL = 'run `sudo bash scripts/setup-system.sh` (it installs the parsers the round-trip tests use)';

/** A fresh folder with the given files written into it. */
export function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'mailcheck-roundtrip-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

/** Runs a program (bounded to 30 s), returns stdout; throws with stderr when it fails. */
export function run(cmd: string, args: string[], options: { env?: Record<string, string>; cwd?: string; input?: string } = {}): string {
  const r = spawnSync(cmd, args, {
    encoding: 'utf8',
    timeout: 30_000,
    env: { PATH: '/usr/sbin:/usr/bin:/bin', LANG: 'C.UTF-8', ...options.env },
    ...(options.cwd ? { cwd: options.cwd } : {}),
    ...(options.input !== undefined ? { input: options.input } : {}),
  });
  if (r.error) throw new Error(`${cmd} could not run (${r.error.message}): ${INSTALL}`);
  if (r.status !== 0) throw new Error(`${cmd} exited ${r.status}: ${r.stderr.trim().slice(0, 2000)}`);
  return r.stdout;
}

/** Fails (never skips) when a program or library is missing. */
export function requireTool(what: string, cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 30_000 });
  if (r.error || r.status !== 0) throw new Error(`${what} is not installed: ${INSTALL}`);
}
