import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/**
 * The folder of mailcheck's own package.json, found by walking up from this module, so data
 * files (schema, presets) are found the same way from src/, dist/ and the bundled CLI.
 */
export function packageRoot(): string {
  if (root) return root;
  // __filename exists in the CommonJS bundle of the CLI, import.meta.url in the ES modules
  let dir = dirname(typeof __filename === 'string' ? __filename : fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'mailcheck-cli') return (root = dir);
    const up = dirname(dir);
    if (up === dir) throw new Error('mailcheck: cannot find its own package.json');
    dir = up;
  }
}

/** Reads a JSON data file shipped with the package (path relative to the package root). */
export function readPackageJson<T>(relativePath: string): T {
  return JSON.parse(readFileSync(join(packageRoot(), relativePath), 'utf8')) as T;
}
