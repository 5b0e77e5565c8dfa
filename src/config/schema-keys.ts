import { readPackageJson } from '../paths.ts';

type SchemaNode = {
  $ref?: string;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: SchemaNode | boolean;
  items?: SchemaNode;
  anyOf?: SchemaNode[];
  description?: string;
  type?: string;
};

let root: (SchemaNode & { definitions: Record<string, SchemaNode> }) | undefined;

function schema() {
  // loaded only when a diagnostic needs it (an unknown key), not at every start
  root ??= readPackageJson('schema/mail.schema.json') as SchemaNode & { definitions: Record<string, SchemaNode> };
  return root;
}

function deref(node: SchemaNode): SchemaNode[] {
  if (node.$ref) return deref(schema().definitions[node.$ref.replace('#/definitions/', '')] ?? {});
  if (node.anyOf) return node.anyOf.flatMap(deref);
  return [node];
}

/** The schema nodes that describe the value at `segments` of a mail.yaml. */
export function schemaAt(segments: readonly string[]): SchemaNode[] {
  let nodes = deref(schema());
  for (const seg of segments) {
    nodes = nodes.flatMap((n) => {
      if (n.properties?.[seg]) return deref(n.properties[seg]);
      if (typeof n.additionalProperties === 'object') return deref(n.additionalProperties);
      if (n.items && /^\d+$/.test(seg)) return deref(n.items);
      return [];
    });
  }
  return nodes;
}

const allowedCache = new Map<string, string[]>();

/** Keys allowed in the mapping at `segments` (remembered per path: a file may ask 100,000 times). */
export function allowedKeys(segments: readonly string[]): string[] {
  const key = segments.join('\u0000');
  let keys = allowedCache.get(key);
  if (!keys) {
    keys = [...new Set(schemaAt(segments).flatMap((n) => Object.keys(n.properties ?? {})))];
    if (allowedCache.size < 1000) allowedCache.set(key, keys);
  }
  return keys;
}

/** The description of the value at `segments`, for messages that say what is expected. */
export function describe(segments: readonly string[]): string | undefined {
  const parent = schemaAt(segments.slice(0, -1));
  const last = segments[segments.length - 1];
  for (const n of parent) if (last !== undefined && n.properties?.[last]?.description) return n.properties[last]!.description;
  return schemaAt(segments)[0]?.description;
}

let rows = new Int32Array(3 * 64);

/** Edit distance with adjacent transpositions (optimal string alignment): `hots` → `host` is 1. */
export function distance(a: string, b: string): number {
  // three rolling rows in one reused buffer instead of a matrix: this runs once per unknown key
  // and candidate, and a hostile file has 20,000 unknown keys
  const w = b.length + 1;
  if (rows.length < 3 * w) rows = new Int32Array(3 * w);
  let before = 0;
  let prev = w;
  let row = 2 * w;
  for (let j = 0; j < w; j++) rows[prev + j] = j;
  for (let i = 1; i <= a.length; i++) {
    rows[row] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let v = Math.min(rows[prev + j]! + 1, rows[row + j - 1]! + 1, rows[prev + j - 1]! + cost);
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) v = Math.min(v, rows[before + j - 2]! + 1);
      rows[row + j] = v;
    }
    const t = before;
    before = prev;
    prev = row;
    row = t;
  }
  return rows[prev + b.length]!;
}

/** The closest candidate to `word`, when it is close enough to be a typo. */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  const w = word.toLowerCase();
  const limit = Math.max(1, Math.floor(word.length / 3));
  for (const c of candidates) {
    // the distance is at least the difference in length: a long word costs nothing to rule out
    if (Math.abs(c.length - w.length) > Math.min(limit, bestD)) continue;
    const d = c.toLowerCase() === w ? 0 : distance(w, c.toLowerCase());
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  return bestD <= limit ? best : undefined;
}
