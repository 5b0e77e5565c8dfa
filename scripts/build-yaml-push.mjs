// Generates src/generated/yaml-push.js: yaml's own Lexer and Parser (dist/parse/lexer.js and
// parser.js of the installed `yaml`), turned from generators into push-style classes that hand
// each lexeme or token to `this.emit(…)` as they make it.
//
// Why: a mail.yaml is parsed once per run, cold, in V8's interpreter; there every `yield` and every
// level of `yield*` costs a generator resume and an iterator result per token, so yaml's parse of a
// 400-line file took ~55 ms where the same code pushing its tokens takes ~23 ms (measured in
// December 2026, code compiled, first run). No YAML library keeps yaml's positions, errors and
// Document model without generators, and yaml's own code is the specification of both; so the
// code stays yaml's and only its control flow changes, mechanically, at every build. A yaml update
// that the rewrite does not fit stops the build here; one that it fits but changes the meaning of
// is caught by test/config/yaml-limits.test.ts, which holds the result to yaml's parseDocument.
//
// The rewrite also drops the parser's `LOG_TOKENS` switch: with that variable set in the
// environment yaml's Parser prints every token — a literal password in mail.yaml included — to
// stdout (SPEC §7: nothing from outside may make mailcheck print a secret).
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** `yield* g()` → `g()`, `yield x` → `this.emit(x)`, `*name(` → `name(`; comments and strings kept. */
export function pushStyle(src, file) {
  let out = '';
  let i = 0;
  let yields = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === '/' && src[i + 1] === '/') {
      const end = src.indexOf('\n', i);
      out += src.slice(i, end);
      i = end;
      continue;
    }
    if (c === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i) + 2;
      out += src.slice(i, end);
      i = end;
      continue;
    }
    if (c === "'" || c === '"' || c === '`') {
      const end = stringEnd(src, i);
      out += src.slice(i, end);
      i = end;
      continue;
    }
    const m = /yield\b(\*?)\s*/y;
    m.lastIndex = i;
    const hit = /[\w$.]/.test(src[i - 1] ?? ' ') ? null : m.exec(src);
    if (!hit) {
      out += c;
      i++;
      continue;
    }
    yields++;
    if (hit[1] === '*') {
      i = m.lastIndex; // `yield* this.step()`: the call itself now pushes what it made
      continue;
    }
    // `yield EXPR;` → `this.emit(EXPR);`: EXPR ends at the `;` (or closing bracket) at depth 0
    let j = m.lastIndex;
    let depth = 0;
    for (; j < src.length; j++) {
      const d = src[j];
      if (d === "'" || d === '"' || d === '`') {
        j = stringEnd(src, j) - 1;
        continue;
      }
      if (d === '(' || d === '[' || d === '{') depth++;
      else if (d === ')' || d === ']' || d === '}') {
        if (depth === 0) break;
        depth--;
      } else if (d === ';' && depth === 0) break;
    }
    const expr = src.slice(m.lastIndex, j).trim();
    if (expr === '') throw new Error(`${file}: a bare \`yield\` at offset ${i}; update scripts/build-yaml-push.mjs`);
    out += `this.emit(${expr})`;
    i = j;
  }
  out = out.replace(/^(\s+)\*(\w+)\(/gm, '$1$2(');
  if (yields === 0) throw new Error(`${file}: no yield found; update scripts/build-yaml-push.mjs`);
  const left = stripComments(out).match(/\byield\b|^\s*\*\w+\(|function\s*\*/m);
  if (left) throw new Error(`${file}: "${left[0]}" left after the rewrite; update scripts/build-yaml-push.mjs`);
  return out;
}

function stringEnd(src, i) {
  const q = src[i];
  for (let j = i + 1; j < src.length; j++) {
    if (src[j] === '\\') j++;
    else if (src[j] === q) return j + 1;
  }
  throw new Error(`unterminated string at offset ${i}`);
}

function stripComments(src) {
  return src.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
}

/** Replaces `from` (which must occur exactly once) with `to`. */
function once(text, from, to, file) {
  const n = text.split(from).length - 1;
  if (n !== 1) throw new Error(`${file}: expected one "${from.trim()}", found ${n}; update scripts/build-yaml-push.mjs`);
  return text.replace(from, to);
}

export function generate(yamlDist) {
  const read = (rel) => readFileSync(join(yamlDist, rel), 'utf8');
  // the module frame: `'use strict'`, the requires and the exports go; cst comes from yaml's public CST
  const body = (text, file, requires) => {
    let t = once(text, "'use strict';\n", '', file);
    for (const r of requires) t = once(t, r, '', file);
    return t.replace(/^exports\.\w+ = \w+;\n/gm, '');
  };
  let lexer = body(read('parse/lexer.js'), 'lexer.js', ["var cst = require('./cst.js');\n"]);
  lexer = pushStyle(lexer, 'lexer.js');
  let parser = body(read('parse/parser.js'), 'parser.js', ["var node_process = require('process');\n", "var cst = require('./cst.js');\n", "var lexer = require('./lexer.js');\n"]);
  // its own lexer and the pull-style `parse(source)` that drives it: the caller pushes lexemes
  parser = once(parser, '        this.lexer = new lexer.Lexer();\n', '', 'parser.js');
  parser = parser.replace(/\n    \/\*\*(?:(?!\*\/)[\s\S])*\*\/\n    \*parse\(source, incomplete = false\) \{\n[\s\S]*?\n    \}\n/, (m) => {
    if (!m.includes('this.lexer.lex(')) throw new Error('parser.js: parse() changed; update scripts/build-yaml-push.mjs');
    return '\n';
  });
  if (parser.includes('*parse(')) throw new Error('parser.js: parse() not found as expected; update scripts/build-yaml-push.mjs');
  parser = once(parser, "        if (node_process.env.LOG_TOKENS)\n            console.log('|', cst.prettyToken(source));\n", '', 'parser.js');
  parser = pushStyle(parser, 'parser.js');
  if (/node_process|\blexer\./.test(stripComments(parser))) throw new Error('parser.js: a dependency is left; update scripts/build-yaml-push.mjs');
  const version = JSON.parse(readFileSync(join(yamlDist, '..', 'package.json'), 'utf8')).version;
  return [
    `// generated by scripts/build-yaml-push.mjs from yaml ${version} (dist/parse/lexer.js, dist/parse/parser.js) — do not edit`,
    '// yaml: Copyright Eemeli Aro <eemeli@gmail.com>, ISC licence (node_modules/yaml/LICENSE)',
    "import { CST as cst } from 'yaml';",
    lexer.trim(),
    parser.trim(),
    'export { Lexer as PushLexer, Parser as PushParser };',
    '',
  ].join('\n');
}

const DTS = `// generated by scripts/build-yaml-push.mjs — do not edit
import type { CST } from 'yaml';
/** yaml's Lexer, pushing each lexeme to \`emit\` (set it before \`lex\`). */
export declare class PushLexer {
  emit: (lexeme: string) => void;
  lex(source: string, incomplete?: boolean): void;
}
/** yaml's Parser, pushing each token to \`emit\` (set it before \`next\`). */
export declare class PushParser {
  constructor(onNewLine?: (offset: number) => void);
  emit: (token: CST.Token) => void;
  next(source: string): void;
  end(): void;
}
`;

export default function buildYamlPush(root) {
  const yamlDist = dirname(createRequire(join(root, 'package.json')).resolve('yaml'));
  writeFileSync(join(root, 'src', 'generated', 'yaml-push.js'), generate(yamlDist));
  writeFileSync(join(root, 'src', 'generated', 'yaml-push.d.ts'), DTS);
}
