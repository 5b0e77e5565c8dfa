import { readPackageJson } from '../paths.ts';
import type { Preset } from '../types.ts';

let cache: Preset[] | undefined;

/** Every built-in preset (presets/*.yaml compiled to src/generated/presets.json at build). */
export function allPresets(): Preset[] {
  if (!cache) {
    try {
      // path from the package root, so src/, dist/ and the bundled CLI all find it
      cache = readPackageJson<Preset[]>('src/generated/presets.json');
    } catch {
      cache = [];
    }
  }
  return cache;
}

/** A preset by id or alias, case-insensitive. */
export function findPreset(idOrAlias: string): Preset | undefined {
  const key = idOrAlias.toLowerCase();
  return allPresets().find((p) => p.id === key || p.aliases.some((a) => a.toLowerCase() === key));
}

/** The preset one of whose endpoints is `host` (templated endpoint hosts match by pattern). */
export function detectProvider(host: string): Preset | undefined {
  const h = host.toLowerCase().replace(/\.$/, '');
  return allPresets().find((p) =>
    p.endpoints.some((e) => {
      if (!e.host.includes('{')) return e.host.toLowerCase() === h;
      const re = new RegExp(`^${e.host.toLowerCase().replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[a-z0-9_-]+\}/g, '[a-z0-9-]+')}$`);
      return re.test(h);
    }),
  );
}
