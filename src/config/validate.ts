import validate from '../generated/mail-validate.js';
import type { SchemaViolation } from '../types.ts';

/** Validates parsed data against schema/mail.schema.json (compiled at build time). */
export function validateSchema(data: unknown): SchemaViolation[] {
  if (validate(data)) return [];
  return (validate.errors ?? []).map((e) => ({
    keyword: e.keyword,
    instancePath: e.instancePath,
    schemaPath: e.schemaPath,
    params: e.params as Record<string, unknown>,
    ...(e.message !== undefined ? { message: e.message } : {}),
  }));
}
