import { joinPointer } from './pointer.ts';

/** Shortest duration accepted anywhere (flags, `timeouts:`): 1 ms. */
export const MIN_DURATION_MS = 1;
/**
 * Longest duration accepted anywhere: 24 h (SPEC §7). Node's timers hold at most 2^31−1 ms
 * (~24.8 days) and turn anything longer into 1 ms with a TimeoutOverflowWarning.
 */
export const MAX_DURATION_MS = 24 * 60 * 60 * 1000;

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A duration in ms brought within 1 ms … 24 h, for values given through the API (never a timer overflow). */
export function clampDuration(ms: number): number {
  return Number.isFinite(ms) ? Math.min(MAX_DURATION_MS, Math.max(MIN_DURATION_MS, Math.round(ms))) : MAX_DURATION_MS;
}

/** A duration read from text: its milliseconds, or why it cannot be one. */
export type DurationReading = { ok: true; ms: number } | { ok: false; reason: 'malformed' | 'range' };

/** Reads `500ms`, `10s`, `2m`, `1h`, `1d` or a number of milliseconds, and checks it is within 1 ms … 24 h. */
export function readDuration(value: string | number): DurationReading {
  let ms: number;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return { ok: false, reason: 'malformed' };
    ms = value;
  } else {
    const m = /^\s*([0-9]+(?:\.[0-9]+)?)\s*(ms|s|m|h|d)?\s*$/.exec(value);
    if (!m) return { ok: false, reason: 'malformed' };
    ms = Number(m[1]) * UNIT_MS[m[2] ?? 'ms']!;
  }
  ms = Math.round(ms);
  if (!(ms >= MIN_DURATION_MS && ms <= MAX_DURATION_MS)) return { ok: false, reason: 'range' };
  return { ok: true, ms };
}

/** Parses a duration (see {@link readDuration}). Returns undefined when malformed or outside 1 ms … 24 h. */
export function parseDuration(value: string | number | undefined): number | undefined {
  if (value === undefined) return undefined;
  const r = readDuration(value);
  return r.ok ? r.ms : undefined;
}

/**
 * Durations of a parsed mail.yaml outside 1 ms … 24 h (`profiles.*.timeouts.*`,
 * `defaults.timeouts.*`), as schema violations: the schema's pattern accepts the form, this
 * bounds the value, which a regular expression cannot do readably.
 */
export function durationViolations(data: unknown): { keyword: string; instancePath: string; schemaPath: string; params: Record<string, unknown>; message: string }[] {
  const out: { keyword: string; instancePath: string; schemaPath: string; params: Record<string, unknown>; message: string }[] = [];
  const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isMap(data)) return out;
  const scan = (timeouts: unknown, base: string): void => {
    if (!isMap(timeouts)) return;
    for (const key of ['connect', 'greeting', 'command']) {
      const v = timeouts[key];
      // whole numbers are bounded by the schema itself (minimum, maximum)
      if (typeof v !== 'string') continue;
      const r = readDuration(v);
      if (!r.ok && r.reason === 'range') {
        out.push({ keyword: 'durationRange', instancePath: `${base}/timeouts/${key}`, schemaPath: '#/definitions/duration', params: {}, message: 'a duration between 1ms and 24h' });
      }
    }
  };
  if (isMap(data.defaults)) scan(data.defaults.timeouts, '/defaults');
  if (isMap(data.profiles)) {
    for (const [name, p] of Object.entries(data.profiles)) {
      if (isMap(p)) scan(p.timeouts, joinPointer(['profiles', name]));
    }
  }
  return out;
}
