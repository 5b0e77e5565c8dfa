/** Small writers for the file shapes several targets share (dotenv, JSON, YAML maps). */
import { dotenv, type DotenvFlavor, yamlString } from './escape.ts';
import type { SecretStyle } from './model.ts';

/** Text already in the output format (a secret reference, an expression): written as is. */
export class Raw {
  constructor(readonly text: string) {}
}

export function raw(text: string | undefined): Raw | undefined {
  return text === undefined ? undefined : new Raw(text);
}

export type Value = string | number | boolean | Raw | undefined;
/** A key and its value; undefined values are left out. A bare string is a comment line. */
export type Line = readonly [key: string, value: Value] | string;

/** Secrets in a dotenv file: `${NAME}` (every flavor but node expands it) or the quoted value. */
export function dotenvStyle(flavor: DotenvFlavor): SecretStyle {
  return {
    literal: (v) => dotenv(v, flavor),
    ...(flavor === 'node' ? {} : { env: (name: string) => `\${${name}}` }),
  };
}

export function dotenvFile(lines: readonly Line[], flavor: DotenvFlavor): string {
  const out: string[] = [];
  for (const line of lines) {
    if (typeof line === 'string') {
      out.push(line === '' ? '' : `# ${line}`);
      continue;
    }
    const [key, value] = line;
    if (value === undefined) continue;
    out.push(`${key}=${value instanceof Raw ? value.text : dotenv(String(value), flavor)}`);
  }
  return `${out.join('\n')}\n`;
}

/** A YAML block map (one level) with JSON-quoted strings; comments as `# …`. */
export function yamlMap(lines: readonly Line[], indent = ''): string {
  const out: string[] = [];
  for (const line of lines) {
    if (typeof line === 'string') {
      out.push(`${indent}# ${line}`);
      continue;
    }
    const [key, value] = line;
    if (value === undefined) continue;
    const text = value instanceof Raw ? value.text : typeof value === 'string' ? yamlString(value) : String(value);
    out.push(`${indent}${key}: ${text}`);
  }
  return out.join('\n');
}

/** JSON with two-space indentation and a final newline; key order is insertion order. */
export function jsonFile(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** Drops undefined members so JSON payloads list only what is set. */
export function compact<T extends Record<string, unknown>>(obj: T): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (v !== undefined) out[k] = v;
  return out as Partial<T>;
}
