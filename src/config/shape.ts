/**
 * Linear walks over a parsed mail.yaml (no recursion, so no depth limit of their own): the shape
 * problems yaml itself does not report in linear time (duplicate keys, collection keys, alias
 * nodes), and the literal secret values every report must not show.
 */
import { isAlias, isCollection, isMap, isPair, isScalar, isSeq, type Document } from 'yaml';
import { registerSecret } from '../safety/redact.ts';

export interface Shape {
  /** [start, end] of every key already seen in its mapping, in document order */
  duplicates: Array<[number, number]>;
  /** [start, end] of every key that is a list or a mapping */
  complexKeys: Array<[number, number]>;
  /** start of every alias node, in document order */
  aliases: number[];
}

/**
 * One iterative walk over the document (linear; no recursion, so no depth limit of its own):
 * duplicate keys (a Set per mapping), keys that are collections, and alias nodes.
 */
export function checkShape(doc: Document): Shape {
  const shape: Shape = { duplicates: [], complexKeys: [], aliases: [] };
  const stack: unknown[] = [doc.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isAlias(node)) {
      shape.aliases.push(node.range?.[0] ?? 0);
    } else if (isMap(node) || isSeq(node)) {
      const keys = new Set<unknown>();
      for (const item of node.items as unknown[]) {
        if (!isPair(item)) {
          stack.push(item);
          continue;
        }
        const key = item.key;
        if (isScalar(key)) {
          if (isMap(node)) {
            if (keys.has(key.value)) shape.duplicates.push(key.range ? [key.range[0], key.range[1]] : [0, 1]);
            else keys.add(key.value);
          }
        } else if (isCollection(key)) {
          const r = key.range ?? [0, 1];
          shape.complexKeys.push([r[0], r[1]]);
          stack.push(key);
        } else if (key !== null) {
          stack.push(key);
        }
        stack.push(item.value);
      }
    }
  }
  const byStart = (a: [number, number], b: [number, number]): number => a[0] - b[0];
  shape.duplicates.sort(byStart);
  shape.complexKeys.sort(byStart);
  shape.aliases.sort((a, b) => a - b);
  return shape;
}

/** Keys whose value is a secret (SPEC §1), with the spellings other tools use, compared lower-case. */
const SECRET_KEYS: ReadonlySet<string> = new Set(['password', 'passwd', 'pass', 'clientsecret', 'client_secret', 'refreshtoken', 'refresh_token', 'accesstoken', 'access_token', 'apikey', 'api_key', 'secret', 'token']);
const REFERENCE = /^\s*\$\{[A-Za-z_][A-Za-z0-9_]*(:-[^}]*)?\}\s*$/;

/**
 * `text` with the value of every secret key masked (`*`, line breaks kept, so positions do not
 * move), found through the parsed document: a key written quoted, escaped (`"pass\x77ord"`), as
 * an explicit `? password`, or with its value on the next line is the same key (SPEC §7: a
 * literal password never reaches a code frame). Literal values are registered with the redactor.
 */
export function maskSecretValues(doc: Document, text: string): string {
  const ranges: [number, number][] = [];
  const stack: unknown[] = [doc.contents];
  let guard = 0;
  while (stack.length > 0 && guard++ < 1_000_000) {
    const node = stack.pop();
    if (!isMap(node) && !isSeq(node)) continue;
    for (const item of node.items as unknown[]) {
      if (!isPair(item)) {
        stack.push(item);
        continue;
      }
      const key = item.key;
      const value = item.value;
      if (isScalar(key) && SECRET_KEYS.has(String(key.value).toLowerCase()) && isScalar(value) && value.range) {
        const v = value.value;
        if (typeof v === 'string' && !REFERENCE.test(v)) registerSecret(v);
        else if (typeof v === 'number' || typeof v === 'boolean') registerSecret(String(v));
        if (typeof v !== 'string' || !REFERENCE.test(v)) ranges.push([value.range[0], value.range[1]]);
      } else {
        stack.push(item.value);
        if (isCollection(key)) stack.push(key);
      }
    }
  }
  if (ranges.length === 0) return text;
  ranges.sort((a, b) => a[0] - b[0]);
  let out = '';
  let at = 0;
  for (const [start, end] of ranges) {
    if (start < at) continue;
    out += text.slice(at, start) + text.slice(start, end).replace(/[^\r\n]/g, '*');
    at = end;
  }
  return out + text.slice(at);
}
