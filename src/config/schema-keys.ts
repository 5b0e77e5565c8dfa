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

/** Keys allowed in the mapping at `segments`. */
export function allowedKeys(segments: readonly string[]): string[] {
  return [...new Set(schemaAt(segments).flatMap((n) => Object.keys(n.properties ?? {})))];
}

/** The description of the value at `segments`, for messages that say what is expected. */
export function describe(segments: readonly string[]): string | undefined {
  const parent = schemaAt(segments.slice(0, -1));
  const last = segments[segments.length - 1];
  for (const n of parent) if (last !== undefined && n.properties?.[last]?.description) return n.properties[last]!.description;
  return schemaAt(segments)[0]?.description;
}

/** Edit distance with adjacent transpositions (optimal string alignment): `hots` → `host` is 1. */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** The closest candidate to `word`, when it is close enough to be a typo. */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  const w = word.toLowerCase();
  for (const c of candidates) {
    const d = c.toLowerCase() === w ? 0 : distance(w, c.toLowerCase());
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  const limit = Math.max(1, Math.floor(word.length / 3));
  return bestD <= limit ? best : undefined;
}
