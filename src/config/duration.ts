/** Parses `500ms`, `10s`, `2m` or a number of milliseconds. Returns undefined when malformed. */
export function parseDuration(value: string | number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number') return Number.isFinite(value) && value > 0 ? value : undefined;
  const m = /^\s*([0-9]+(?:\.[0-9]+)?)\s*(ms|s|m)?\s*$/.exec(value);
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = m[2] ?? 'ms';
  const ms = unit === 'm' ? n * 60_000 : unit === 's' ? n * 1000 : n;
  return ms > 0 ? Math.round(ms) : undefined;
}
