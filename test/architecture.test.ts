/**
 * The shape the code keeps (CONTRIBUTING.md): no module of src/ over 300 lines, no import cycle
 * (static, dynamic and re-exports alike, type-only ones included), and one way to tell an address.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const MAX_LINES = 300;

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) sources(p, out);
    else if (p.endsWith('.ts') && !p.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

const files = sources(join(root, 'src'));
const known = new Set(files);
const graph = new Map(
  files.map((f) => {
    const text = readFileSync(f, 'utf8');
    const deps = [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g)]
      .map((m) => resolve(dirname(f), (m[1] ?? m[2])!))
      .filter((d) => known.has(d));
    return [f, deps] as const;
  }),
);

/** Strongly connected components with more than one module (Tarjan). */
function cycles(): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        scc.push(relative(root, w));
      } while (w !== v);
      if (scc.length > 1) out.push(scc.sort());
    }
  };
  for (const f of files) if (!idx.has(f)) visit(f);
  return out;
}

describe('architecture', () => {
  it(`no module of src/ is over ${MAX_LINES} lines (generated files aside)`, () => {
    const big = files
      .filter((f) => !f.includes(`${join('src', 'generated')}`))
      .map((f) => [relative(root, f), readFileSync(f, 'utf8').split('\n').length] as const)
      .filter(([, n]) => n > MAX_LINES);
    expect(big).toEqual([]);
  });

  it('the import graph has no cycle', () => {
    expect(cycles()).toEqual([]);
  });

  it("only src/config/ip.ts asks node:net whether a string is an address (its first IPv6 test costs ~8 ms)", () => {
    const direct = files
      .filter((f) => !f.endsWith(join('config', 'ip.ts')))
      .filter((f) => /import\s*\{[^}]*\bisIP(?:v4|v6)?\b[^}]*\}\s*from\s*'node:net'|\bnet\.isIP(?:v4|v6)?\(/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(root, f));
    expect(direct).toEqual([]);
  });

  it('the graph is read (the test can see an import)', () => {
    expect(graph.get(join(root, 'src', 'index.ts'))?.length).toBeGreaterThan(3);
  });
});
