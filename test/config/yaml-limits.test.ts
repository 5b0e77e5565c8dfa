import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { MAX_NESTING, parseWithinLimits } from '../../src/config/yaml-limits.ts';

const OPTIONS = { uniqueKeys: false, prettyErrors: false, schema: 'core', strict: true } as const;

function toJS(d: Document): unknown {
  try {
    return d.toJS();
  } catch (err) {
    return `throws: ${(err as Error).message}`;
  }
}

/** what yaml's own parseDocument makes of `text`, and what ours makes, side by side */
function both(text: string) {
  const refLines = new LineCounter();
  const ref = parseDocument(text, { ...OPTIONS, lineCounter: refLines });
  const oursLines = new LineCounter();
  const ours = parseWithinLimits(text, { ...OPTIONS, lineCounter: oursLines });
  if (!('doc' in ours)) throw new Error(`limit hit: ${JSON.stringify(ours.hit)}`);
  const view = (d: Document) => ({
    errors: d.errors.map((e) => [e.code, e.pos]),
    warnings: d.warnings.map((e) => [e.code, e.pos]),
    data: d.errors.length ? undefined : toJS(d),
    range: d.range,
  });
  return { ref: view(ref), ours: view(ours.doc), refLines: refLines.lineStarts, oursLines: oursLines.lineStarts };
}

describe('parseWithinLimits is yaml\'s parseDocument with limits', () => {
  const cases: Record<string, string> = {
    empty: '',
    'only a comment': '# nothing\n',
    'a mail.yaml': 'version: 1\nprofiles:\n  prod: { host: smtp.example.org, port: 587, auth: { password: "${P}" } }\n  b:\n    host: x\n    tags: [a, b]\n',
    'two documents': 'a: 1\n---\nb: 2\n',
    'three documents': 'a: 1\n---\nb: 2\n---\nc: 3\n',
    'a directive': '%YAML 1.2\n---\na: 1\n',
    'a document end': 'a: 1\n...\n',
    'a syntax error': 'a: [1, 2\nb: 3\n',
    'a tab as indent': 'a:\n\tb: 1\n',
    'a block scalar': 'a: |\n  line one\n  line two\nb: >-\n  folded\n',
    'anchors and aliases': 'a: &x { k: v }\nb: *x\n',
    'CRLF line ends': 'a: 1\r\nb: [x, y]\r\n',
  };
  for (const [name, text] of Object.entries(cases)) {
    test(name, () => {
      const { ref, ours, refLines, oursLines } = both(text);
      expect(ours).toEqual(ref);
      expect(oursLines).toEqual(refLines);
    });
  }

  test('any text made of YAML\'s own punctuation', () => {
    const piece = fc.constantFrom('a', 'b: ', '- ', '? ', ': ', '{', '}', '[', ']', ',', '"', "'", '#', '&x ', '*x', '|', '>', '---', '...', '\n', '  ', '%YAML 1.2', '!!str ', '1', 'true', '~');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (pieces) => {
        const { ref, ours } = both(pieces.join(''));
        expect(ours).toEqual(ref);
      }),
      { numRuns: 400 },
    );
  });

  test('every YAML file in the repository and its dependencies (real-world shapes)', () => {
    const root = join(import.meta.dirname, '..', '..');
    const found: string[] = [];
    const walk = (dir: string, depth: number): void => {
      if (depth > 12 || found.length >= 400) return;
      for (const name of readdirSync(dir)) {
        if (name === '.git' || name === 'dist') continue;
        const p = join(dir, name);
        const st = statSync(p);
        if (st.isDirectory()) walk(p, depth + 1);
        else if (/\.ya?ml$/.test(name) && st.size < 512 * 1024) found.push(p);
      }
    };
    walk(root, 0);
    expect(found.length).toBeGreaterThan(80);
    for (const file of found) {
      const { ref, ours, refLines, oursLines } = both(readFileSync(file, 'utf8'));
      expect([file, ours]).toEqual([file, ref]);
      expect(oursLines).toEqual(refLines);
    }
  });

  test('stops at the token that passes the nesting limit, before the parser sees the rest', () => {
    const deep = `${'['.repeat(MAX_NESTING + 1)}${']'.repeat(MAX_NESTING + 1)}\n`;
    const r = parseWithinLimits(deep, { ...OPTIONS, lineCounter: new LineCounter() });
    expect(r).toMatchObject({ hit: { messageId: 'tooDeep', limit: MAX_NESTING } });
    // the first bracket past the limit, not the end of the text
    expect('hit' in r && r.hit.offset).toBeLessThanOrEqual(MAX_NESTING + 1);
  });
});
