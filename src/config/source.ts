import { isAlias, isCollection, isMap, isPair, isScalar, isSeq, LineCounter, type Document, type Node, type Pair, type Scalar, type YAMLMap } from 'yaml';
import { checkShape, maskSecretValues } from './shape.ts';
import type { SourceRange, SyntaxProblem } from '../types.ts';
import { MAX_NESTING, parseWithinLimits } from './yaml-limits.ts';
import { splitPointer } from './pointer.ts';

/** Files larger than this are refused before parsing (SPEC §3, `yaml-syntax`). */
export const MAX_FILE_BYTES = 1024 * 1024;
/**
 * Aliases a document may expand, and alias nodes it may hold; beyond this it is treated as an
 * alias bomb. (The node count matters too: yaml resolves each alias by a walk of the document.)
 */
export const MAX_ALIAS_COUNT = 100;


/** The parsed file: plain data plus a way from JSON pointers back to source positions. */
export interface ParsedSource {
  text: string;
  data: unknown;
  problems: SyntaxProblem[];
  /** 1-based range of the value at `pointer`; for a missing value, the nearest existing parent key. */
  locate(pointer: string, options?: { atKey?: boolean }): SourceRange;
  /**
   * Where a fix may replace the scalar at `pointer` (its key with `atKey`): offsets into `text`
   * and the quote it is written with. Undefined when the path does not end at a plain or quoted
   * scalar written right there (through an alias, a block scalar, a collection, a missing key).
   */
  spanOf?(pointer: string, options?: { atKey?: boolean }): ScalarSpan | undefined;
}

export interface ScalarSpan {
  start: number;
  end: number;
  quote: '' | "'" | '"';
}

const START: SourceRange = { line: 1, column: 1, endLine: 1, endColumn: 1 };

function rangeAt(text: string, offset: number): SourceRange {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  const column = offset - lineStart + 1;
  return { line, column, endLine: line, endColumn: column + 1 };
}

/** Offset of the first byte that does not start or continue a well-formed UTF-8 sequence. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const len = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (len === 0) return i;
    for (let k = 1; k < len; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
    }
    i += len;
  }
  return bytes.length;
}

/** Decodes bytes as strict UTF-8; reports the first bad byte (or NUL) with its position. */
function decode(bytes: Uint8Array): { text: string } | { problem: SyntaxProblem } {
  const nul = bytes.indexOf(0);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    const bad = firstInvalidUtf8(bytes);
    const prefix = new TextDecoder('utf-8').decode(bytes.subarray(0, bad));
    return {
      problem: {
        messageId: 'notUtf8',
        data: { byte: `0x${(bytes[bad] ?? 0).toString(16).padStart(2, '0')}` },
        range: rangeAt(prefix, prefix.length),
        severity: 'error',
      },
    };
  }
  if (nul !== -1) {
    const prefix = text.slice(0, text.indexOf('\u0000'));
    return { problem: { messageId: 'binary', data: {}, range: rangeAt(prefix, prefix.length), severity: 'error' } };
  }
  return { text };
}

/** The result for a file refused for its size, without reading it. */
export function oversizedSource(size: number): ParsedSource {
  return failed('', { messageId: 'tooLarge', data: { size: (size / 1048576).toFixed(1) }, range: START, severity: 'error' });
}

/** Parses a mail.yaml's bytes. Never throws: every problem becomes a {@link SyntaxProblem}. */
export function parseSource(bytes: Uint8Array): ParsedSource {
  if (bytes.length > MAX_FILE_BYTES) return oversizedSource(bytes.length);
  const decoded = decode(bytes);
  if ('problem' in decoded) return failed('', decoded.problem);
  const text = decoded.text;
  const lineCounter = new LineCounter();
  // uniqueKeys is checked below with a Set per mapping: yaml's own check compares each key with
  // every earlier one (quadratic: 60,000 duplicate keys took over a minute)
  const parsed = parseWithinLimits(text, { lineCounter, uniqueKeys: false, prettyErrors: false, schema: 'core', strict: true });
  if ('hit' in parsed) {
    // found before anything slow or recursive sees the rest of the file
    const { hit } = parsed;
    return failed(text, { messageId: hit.messageId, data: { limit: String(hit.limit) }, range: rangeAt(text, hit.offset), severity: 'error' });
  }
  const doc = parsed.doc;
  // the text every report shows: literal secret values masked, however their key is written
  const shown = maskSecretValues(doc, text);
  const toRange = (start: number, end: number): SourceRange => {
    const a = lineCounter.linePos(start);
    const b = lineCounter.linePos(Math.max(end, start + 1));
    return { line: a.line, column: a.col, endLine: b.line, endColumn: b.col };
  };
  const problems: SyntaxProblem[] = [];
  // Parse errors cascade: after the first, the parser's view of the file is unreliable, so only
  // the first one is reported (as ESLint does).
  const first = doc.errors[0];
  if (first) {
    const range = toRange(first.pos[0], first.pos[1]);
    const lineText = lineAt(text, first.pos[0]);
    const data: Record<string, string> = { reason: cleanMessage(first.message), code: first.code };
    if (/\$\{/.test(lineText) && /[{[]/.test(lineText.replace(/\$\{[^}]*\}/g, ''))) data.hintRef = 'y';
    if (first.code === 'TAB_AS_INDENT') data.hintTab = 'y';
    problems.push({ messageId: data.hintRef ? 'syntaxRef' : data.hintTab ? 'syntaxTab' : 'syntax', data, range, severity: 'error' });
  }
  for (const w of doc.warnings) {
    problems.push({ messageId: 'syntax', data: { reason: cleanMessage(w.message), code: w.code }, range: toRange(w.pos[0], w.pos[1]), severity: 'warning' });
  }
  if (problems.some((p) => p.severity === 'error')) return { text: shown, data: undefined, problems, locate: () => START };
  const shape = checkShape(doc);
  for (const [offset, end] of shape.duplicates) {
    problems.push({ messageId: 'syntax', data: { reason: 'Map keys must be unique', code: 'DUPE_KEY' }, range: toRange(offset, end), severity: 'error' });
  }
  // Keys must be plain scalars: a collection as a key has no JSON meaning.
  for (const [offset, end] of shape.complexKeys) problems.push({ messageId: 'complexKey', data: {}, range: toRange(offset, end), severity: 'error' });
  const bomb = shape.aliases[MAX_ALIAS_COUNT];
  if (bomb !== undefined) problems.push({ messageId: 'aliasBomb', data: {}, range: toRange(bomb, bomb + 1), severity: 'error' });
  if (problems.some((p) => p.severity === 'error')) {
    problems.sort((a, b) => a.range.line - b.range.line || a.range.column - b.range.column);
    return { text: shown, data: undefined, problems, locate: () => START };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    // aliases can still multiply the depth of the data past what the stack holds
    if (err instanceof RangeError) return failed(shown, { messageId: 'tooDeep', data: { limit: String(MAX_NESTING) }, range: START, severity: 'error' });
    const bomb = /alias/i.test((err as Error).message);
    return failed(shown, { messageId: bomb ? 'aliasBomb' : 'syntax', data: { reason: (err as Error).message, code: 'TOJS' }, range: START, severity: 'error' });
  }
  const index = new WeakMap<YAMLMap, Map<unknown, Pair>>();
  return {
    text: shown,
    data,
    problems,
    locate: (pointer, options) => locate(doc, index, pointer, options?.atKey ?? false, toRange),
    spanOf: (pointer, options) => spanOf(doc, index, pointer, options?.atKey ?? false),
  };
}

/** The text of the line holding `offset` (without its newline). */
function lineAt(text: string, offset: number): string {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  const end = text.indexOf('\n', offset);
  return text.slice(start, end === -1 ? text.length : end);
}


function failed(text: string, problem: SyntaxProblem): ParsedSource {
  return { text, data: undefined, problems: [problem], locate: () => START };
}

function cleanMessage(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

/** The pairs of a mapping by key (first one wins), built once per mapping that a pointer passes. */
function pairsOf(map: YAMLMap, index: WeakMap<YAMLMap, Map<unknown, Pair>>): Map<unknown, Pair> {
  let pairs = index.get(map);
  if (!pairs) {
    pairs = new Map();
    for (const p of map.items) if (isPair(p) && isScalar(p.key) && !pairs.has(String(p.key.value))) pairs.set(String(p.key.value), p);
    index.set(map, pairs);
  }
  return pairs;
}

function locate(
  doc: Document,
  index: WeakMap<YAMLMap, Map<unknown, Pair>>,
  pointer: string,
  atKey: boolean,
  toRange: (start: number, end: number) => SourceRange,
): SourceRange {
  let node: unknown = doc.contents;
  let lastKey: Node | null = null;
  const segments = splitPointer(pointer);
  let complete = true;
  for (const segment of segments) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const pair = pairsOf(node, index).get(segment);
      if (!pair) {
        complete = false;
        break;
      }
      lastKey = pair.key as Node;
      node = pair.value;
      continue;
    }
    if (isSeq(node)) {
      const item = node.items[Number(segment)];
      if (item === undefined || !/^\d+$/.test(segment)) {
        complete = false;
        break;
      }
      node = item;
      lastKey = null;
      continue;
    }
    complete = false;
    break;
  }
  const target = node as Node | null | undefined;
  if (complete && !atKey && target && isScalar(target) && target.range) return toRange(target.range[0], target.range[1]);
  if (complete && !atKey && target && isAlias(target) && target.range) return toRange(target.range[0], target.range[1]);
  // a flow collection (`{ … }` / `[ … ]`) is pointed at where it starts; a block one by its key
  if (complete && !atKey && target && isCollection(target) && target.flow && target.range) {
    return toRange(target.range[0], target.range[0] + 1);
  }
  if (lastKey?.range) return toRange(lastKey.range[0], lastKey.range[1]);
  if (target && (target as Node).range) {
    const r = (target as Node).range!;
    return toRange(r[0], Math.min(r[1], r[0] + 1));
  }
  const root = doc.contents as Node | null;
  if (root?.range) return toRange(root.range[0], root.range[0] + 1);
  return START;
}

/** See {@link ParsedSource.spanOf}: the scalar a fix may replace, reached without an alias. */
function spanOf(doc: Document, index: WeakMap<YAMLMap, Map<unknown, Pair>>, pointer: string, atKey: boolean): ScalarSpan | undefined {
  let node: unknown = doc.contents;
  let key: unknown;
  for (const segment of splitPointer(pointer)) {
    // a value shared through an anchor (or reached through an alias) is not this path's alone to change
    if (isAlias(node) || (node as { anchor?: string } | null)?.anchor) return undefined;
    if (isMap(node)) {
      const pair = pairsOf(node, index).get(segment);
      if (!pair) return undefined;
      key = pair.key;
      node = pair.value;
    } else if (isSeq(node) && /^\d+$/.test(segment) && node.items[Number(segment)] !== undefined) {
      key = undefined;
      node = node.items[Number(segment)];
    } else return undefined;
  }
  const target = atKey ? key : node;
  if (!isScalar(target) || !target.range || (target as Scalar & { anchor?: string }).anchor) return undefined;
  const quote = target.type === 'QUOTE_DOUBLE' ? '"' : target.type === 'QUOTE_SINGLE' ? "'" : target.type === 'PLAIN' ? '' : undefined;
  return quote === undefined ? undefined : { start: target.range[0], end: target.range[1], quote };
}
