import { readPackageJson } from '../paths.ts';
import type { Encryption, Preset, PresetEndpoint } from '../types.ts';

let cache: Preset[] | undefined;
type SourceFields = Pick<Preset, 'provenance' | 'disagreements' | 'sources' | 'docs'>;
let sources: Record<string, SourceFields> | undefined;

function sourcesOf(id: string): SourceFields {
  sources ??= readPackageJson<Record<string, SourceFields>>('src/generated/preset-sources.json');
  return sources[id] ?? { provenance: [], disagreements: [], sources: [], docs: [] };
}

/**
 * Every built-in preset (presets/*.yaml compiled to src/generated/presets.json at build), sorted
 * by id. Where each fact came from (provenance, disagreements, sources, docs) is read from its own
 * file on first use: lint never needs it, and it is most of the bytes.
 */
export function allPresets(): Preset[] {
  if (!cache) {
    try {
      // path from the package root, so src/, dist/ and the bundled CLI all find it
      cache = readPackageJson<Preset[]>('src/generated/presets.json');
      for (const p of cache) {
        for (const key of ['provenance', 'disagreements', 'sources', 'docs'] as const) {
          Object.defineProperty(p, key, { enumerable: true, configurable: true, get: () => sourcesOf(p.id)[key] });
        }
      }
    } catch {
      cache = [];
    }
  }
  return cache;
}

/** A preset by id or alias, case-insensitive. */
export function findPreset(idOrAlias: string): Preset | undefined {
  const key = idOrAlias.trim().toLowerCase();
  return allPresets().find((p) => p.id === key || p.aliases.some((a) => a.toLowerCase() === key));
}

function normHost(host: string): string {
  return host.trim().toLowerCase().replace(/\.$/, '');
}

const escape = (s: string): string => s.replace(/[.*+?^$()|[\]\\{}]/g, '\\$&');
const hostPatterns = new Map<string, RegExp>();

/** Whether `host` is the endpoint's host; `{name}` placeholders match only their listed values. */
export function endpointHostMatches(preset: Preset, endpointHost: string, host: string): boolean {
  const h = normHost(host);
  if (!endpointHost.includes('{')) return endpointHost === h;
  const key = `${preset.id}\u0000${endpointHost}`;
  let re = hostPatterns.get(key);
  if (!re) {
    const source = endpointHost
      .split(/(\{[a-z_][a-z0-9_]*\})/)
      .map((part) => {
        const m = /^\{([a-z_][a-z0-9_]*)\}$/.exec(part);
        if (!m) return escape(part);
        const values = preset.variables?.[m[1] as string] ?? [];
        return values.length ? `(?:${values.map(escape).join('|')})` : '(?!)';
      })
      .join('');
    re = new RegExp(`^${source}$`);
    hostPatterns.set(key, re);
  }
  return re.test(h);
}

/** The concrete host of a templated endpoint host, filling each placeholder with its first listed value. */
export function concreteHost(preset: Preset, endpointHost: string): string {
  return endpointHost.replace(/\{([a-z_][a-z0-9_]*)\}/g, (whole, name: string) => preset.variables?.[name]?.[0] ?? whole);
}

/** The preset's endpoints whose host is `host`. */
export function endpointsForHost(preset: Preset, host: string): PresetEndpoint[] {
  return preset.endpoints.filter((e) => endpointHostMatches(preset, e.host, host));
}

/** Whether the preset lists exactly this host, port and encryption. */
export function listsEndpoint(preset: Preset, host: string, port: number, encryption: Encryption): boolean {
  return endpointsForHost(preset, host).some((e) => e.port === port && e.encryption === encryption);
}

/** detectProvider's answers by host: a file's profiles mostly share a few hosts (bounded: a hostile file has thousands) */
const detected = new Map<string, Preset | undefined>();

/** The preset one of whose endpoints is `host` (templated endpoint hosts match their listed values). */
export function detectProvider(host: string): Preset | undefined {
  const h = normHost(host);
  if (detected.has(h)) return detected.get(h);
  const found = allPresets().find((p) => p.endpoints.some((e) => endpointHostMatches(p, e.host, h)));
  if (detected.size < 256) detected.set(h, found);
  return found;
}

/** The preset hosting the mail domain `domain` (gmail.com → gmail). */
export function detectByDomain(domain: string): Preset | undefined {
  const d = normHost(domain);
  return allPresets().find((p) => p.domains.includes(d));
}

const globs = new Map<string, RegExp>();

function globRegExp(pattern: string): RegExp {
  let re = globs.get(pattern);
  if (!re) {
    re = new RegExp(`^${pattern.split('*').map(escape).join('.*')}$`);
    globs.set(pattern, re);
  }
  return re;
}

/** Whether `host` matches an MX glob (`*` stands for any run of characters, dots included). */
export function mxMatches(pattern: string, host: string): boolean {
  return globRegExp(pattern).test(normHost(host));
}

export interface MxMatch {
  preset: Preset;
  /** the pattern that matched */
  pattern: string;
}

/**
 * The provider behind an MX host: the preset with the most specific matching pattern (most literal
 * characters), so `gmail-smtp-in.l.google.com` beats `*.google.com`.
 */
export function detectByMx(mxHost: string): MxMatch | undefined {
  let best: MxMatch | undefined;
  let bestScore = -1;
  for (const preset of allPresets()) {
    for (const pattern of preset.mx) {
      if (!mxMatches(pattern, mxHost)) continue;
      const score = pattern.replace(/\*/g, '').length;
      if (score > bestScore) {
        best = { preset, pattern };
        bestScore = score;
      }
    }
  }
  return best;
}
