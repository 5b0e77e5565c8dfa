import { Composer, YAMLParseError, type Document, type DocumentOptions, type LineCounter, type ParseOptions, type SchemaOptions } from 'yaml';
import { PushLexer, PushParser } from '../generated/yaml-push.js';

/**
 * Deepest nesting a mail.yaml may have (an estimate, see {@link LimitScan}). The schema needs
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
 * Finds the first limit a stream of yaml lexer tokens passes, one token at a time, in one linear
 * pass (the lexer knows quotes, comments and block scalars). The nesting estimate is an upper
 * bound: every open flow collection counts one, every block indentation level counts two (a
 * mapping and a sequence can share a column), and compact entries (`- - x`, `- a: b`) count at
 * their own column.
 */
class LimitScan {
  private offset = 0;
  private lineStart = 0;
  private flow = 0;
  private nodes = 0;
  /** columns of the open block entries, strictly increasing */
  private readonly block: number[] = [];
  private scalarNext = false;

  push(token: string): LimitHit | undefined {
    const at = this.offset;
    const c = token[0];
    const block = this.block;
    // the lexer's control tokens (document start, scalar marker, flow error end) are not source
    if (token.length !== 1 || (c !== '\x02' && c !== '\x1f' && c !== '\x18')) this.offset += token.length;
    let node = true;
    if (this.scalarNext) {
      this.scalarNext = false;
      if (this.flow === 0) enter(block, at - this.lineStart);
    } else if (c === '\x1f') {
      this.scalarNext = true; // the next token is a scalar's (or a block scalar's) source
      node = false;
    } else if (c === '{' || c === '[') {
      if (this.flow === 0) enter(block, at - this.lineStart);
      this.flow++;
    } else if (c === '}' || c === ']') {
      if (this.flow > 0) this.flow--;
      node = false;
    } else if (token === '-' || token === '?' || c === '"' || c === "'" || c === '*') {
      if (this.flow === 0) enter(block, at - this.lineStart);
    } else {
      node = false;
      if (token === '---' || c === '\x02') {
        block.length = 0;
        this.flow = 0;
      }
    }
    const nl = token.lastIndexOf('\n');
    if (nl !== -1) this.lineStart = at + nl + 1;
    if (2 * block.length + this.flow > MAX_NESTING) return { messageId: 'tooDeep', limit: MAX_NESTING, offset: at };
    if (node && ++this.nodes > MAX_NODES) return { messageId: 'tooManyNodes', limit: MAX_NODES, offset: at };
    return undefined;
  }
}

function enter(block: number[], column: number): void {
  while (block.length > 0 && block[block.length - 1]! >= column) block.pop();
  block.push(column);
}

/** Thrown through the lexer to stop it: a limit is passed, or a second document began. */
const STOP = Symbol('stop');

/**
 * yaml's `parseDocument`, with the limits checked on the lexer's tokens as the parser takes them:
 * one lexing pass instead of two (the lexer is most of a cold parse), and the parse stops at the
 * token that passes a limit, so nothing slow or recursive sees the rest of the file (the
 * composer overflows the stack near 1,000 levels; yaml's parser needs ~1 KB per value). Built
 * the way yaml's own `parseDocument` is, from yaml's Lexer and Parser in push form
 * (scripts/build-yaml-push.mjs: the same code without generators, which cost every token a resume
 * per level in V8's interpreter, where this code runs) and yaml's public Composer.
 */
export function parseWithinLimits(text: string, options: ParseOptions & DocumentOptions & SchemaOptions & { lineCounter: LineCounter }): { doc: Document.Parsed } | { hit: LimitHit } {
  const scan = new LimitScan();
  const lexer = new PushLexer();
  const parser = new PushParser(options.lineCounter.addNewLine);
  const composer = new Composer(options);
  let doc: Document.Parsed | undefined;
  let more = false;
  let hit: LimitHit | undefined;
  const take = (docs: Iterable<Document.Parsed>): void => {
    for (const next of docs) {
      if (!doc) doc = next;
      else if (!more) {
        more = true; // as parseDocument does
        doc.errors.push(new YAMLParseError(next.range.slice(0, 2) as [number, number], 'MULTIPLE_DOCS', 'Source contains multiple documents; please use YAML.parseAllDocuments()'));
      }
    }
  };
  // the composer works per document-level token, a handful per file: its generator costs nothing
  parser.emit = (token) => take(composer.next(token));
  lexer.emit = (lexeme) => {
    hit = scan.push(lexeme);
    if (hit) throw STOP;
    parser.next(lexeme);
    if (more) throw STOP;
  };
  // yaml's Composer prints every token it takes (the whole document, a literal password included)
  // to stdout when LOG_STREAM is set in the environment, which anyone upstream of a CI job can do
  // (SPEC §7); the parse is synchronous, so hiding the variable for its length is seen by no one
  // else. (The generated parser has no such switch: yaml's LOG_TOKENS is dropped at build.)
  const logStream = process.env.LOG_STREAM;
  if (logStream !== undefined) delete process.env.LOG_STREAM;
  try {
    options.lineCounter.addNewLine(0);
    try {
      lexer.lex(text);
    } catch (err) {
      if (err !== STOP) throw err;
    }
    if (hit) return { hit };
    if (!more) {
      parser.end();
      // forceDoc: an empty stream is an empty document
      take(composer.end(true, text.length));
    }
    return { doc: doc! };
  } finally {
    if (logStream !== undefined) process.env.LOG_STREAM = logStream;
  }
}
