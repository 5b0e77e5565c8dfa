import validate from '../generated/mail-validate.js';
import type { SchemaViolation } from '../types.ts';
import { hostProblem } from './host.ts';
import { joinPointer } from './pointer.ts';

const isPlain = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * What a JSON Schema pattern cannot say about `host:` (an IDN's punycode form, an IPv6 literal,
 * a port after an address), as violations of the same kind the schema reports.
 */
function hostViolations(data: unknown, already: readonly SchemaViolation[]): SchemaViolation[] {
  if (!isPlain(data)) return [];
  const places: Array<[string, unknown]> = [];
  if (isPlain(data.defaults)) places.push([joinPointer(['defaults', 'host']), data.defaults.host]);
  if (isPlain(data.profiles)) for (const [name, p] of Object.entries(data.profiles)) if (isPlain(p)) places.push([joinPointer(['profiles', name, 'host']), p.host]);
  const flagged = new Set(already.map((v) => v.instancePath));
  const out: SchemaViolation[] = [];
  for (const [instancePath, host] of places) {
    if (typeof host !== 'string' || flagged.has(instancePath) || !hostProblem(host)) continue;
    out.push({ keyword: 'pattern', instancePath, schemaPath: '#/definitions/host/format', params: {}, message: 'must be a host name or an IP address' });
  }
  return out;
}

/** Validates parsed data against schema/mail.schema.json (compiled at build time). */
export function validateSchema(data: unknown): SchemaViolation[] {
  const violations = validate(data)
    ? []
    : (validate.errors ?? []).map((e) => ({
        keyword: e.keyword,
        instancePath: e.instancePath,
        schemaPath: e.schemaPath,
        params: e.params as Record<string, unknown>,
        ...(e.message !== undefined ? { message: e.message } : {}),
      }));
  return [...violations, ...hostViolations(data, violations)];
}
