import { Lexer } from 'yaml';

/**
 * Deepest nesting a mail.yaml may have (an estimate, see {@link scanLimits}). The schema needs
 * about 6 levels; the YAML composer and `toJS` recurse once per level and overflow the stack near
 * 1,000, and yaml's CST parser slows down long before that.
 */
export const MAX_NESTING = 100;

/**
 * Values (scalars, aliases, collections, list items) a mail.yaml may hold. A real one has a few
 * hundred; yaml's parser keeps about 1 KB per value, so a 1 MiB file of 400,000 tiny values took
 * seconds and 400 MB before the first diagnostic.
 */
export const MAX_NODES = 20_000;

export interface LimitHit {
  messageId: 'tooDeep' | 'tooManyNodes';
  limit: number;
  /** offset of the token where the limit was passed */
  offset: number;
}

/**
 * The first limit that `text` passes, found in one linear pass over yaml's lexer tokens (which
 * know quotes, comments and block scalars), before anything slow or recursive sees the file.
 * The nesting estimate is an upper bound: every open flow collection counts one, every block
 * indentation level counts two (a mapping and a sequence can share a column), and compact
 * entries (`- - x`, `- a: b`) count at their own column.
 */
export function scanLimits(text: string): LimitHit | undefined {
  let offset = 0;
  let lineStart = 0;
  let flow = 0;
  let nodes = 0;
  /** columns of the open block entries, strictly increasing */
  const block: number[] = [];
  let scalarNext = false;
  for (const token of new Lexer().lex(text)) {
    const at = offset;
    const c = token[0];
    // the lexer's control tokens (document start, scalar marker, flow error end) are not source
    if (token.length !== 1 || (c !== '\x02' && c !== '\x1f' && c !== '\x18')) offset += token.length;
    let node = true;
    if (scalarNext) {
      scalarNext = false;
      if (flow === 0) enter(block, at - lineStart);
    } else if (c === '\x1f') {
      scalarNext = true; // the next token is a scalar's (or a block scalar's) source
      node = false;
    } else if (c === '{' || c === '[') {
      if (flow === 0) enter(block, at - lineStart);
      flow++;
    } else if (c === '}' || c === ']') {
      if (flow > 0) flow--;
      node = false;
    } else if (token === '-' || token === '?' || c === '"' || c === "'" || c === '*') {
      if (flow === 0) enter(block, at - lineStart);
    } else {
      node = false;
      if (token === '---' || c === '\x02') {
        block.length = 0;
        flow = 0;
      }
    }
    const nl = token.lastIndexOf('\n');
    if (nl !== -1) lineStart = at + nl + 1;
    if (2 * block.length + flow > MAX_NESTING) return { messageId: 'tooDeep', limit: MAX_NESTING, offset: at };
    if (node && ++nodes > MAX_NODES) return { messageId: 'tooManyNodes', limit: MAX_NODES, offset: at };
  }
  return undefined;
}

function enter(block: number[], column: number): void {
  while (block.length > 0 && block[block.length - 1]! >= column) block.pop();
  block.push(column);
}
