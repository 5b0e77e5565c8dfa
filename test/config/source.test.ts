import { describe, expect, it } from 'vitest';
import { joinPointer, splitPointer } from '../../src/config/pointer.ts';
import { parseSource } from '../../src/config/source.ts';

const text = ['version: 1', 'profiles:', '  prod:', '    host: smtp.acme.example', '    bcc: [a@acme.example, "b@acme.example"]', '    tls:', '      verify: false', '  a/b~c: { port: 25 }', ''].join('\n');
const parsed = parseSource(Buffer.from(text));

describe('JSON pointer → source range', () => {
  it('points at a scalar value, end column exclusive', () => {
    expect(parsed.locate('/profiles/prod/host')).toEqual({ line: 4, column: 11, endLine: 4, endColumn: 28 });
  });

  it('points into sequences by index', () => {
    expect(parsed.locate('/profiles/prod/bcc/1')).toMatchObject({ line: 5, column: 27 });
  });

  it('points at the nearest existing key when the value is missing', () => {
    expect(parsed.locate('/profiles/prod/tls/ca')).toMatchObject({ line: 6, column: 5 });
    expect(parsed.locate('/profiles/prod/auth/password')).toMatchObject({ line: 3, column: 3 });
  });

  it('points at the key when asked (unknown keys)', () => {
    expect(parsed.locate('/profiles/prod/host', { atKey: true })).toMatchObject({ line: 4, column: 5 });
  });

  it('handles escaped pointer segments (~0, ~1)', () => {
    expect(splitPointer(joinPointer(['profiles', 'a/b~c', 'port']))).toEqual(['profiles', 'a/b~c', 'port']);
    expect(parsed.locate(joinPointer(['profiles', 'a/b~c', 'port']))).toMatchObject({ line: 8, column: 18 });
  });

  it('follows aliases', () => {
    const p = parseSource(Buffer.from('version: 1\nx: &tls { verify: false }\nprofiles:\n  a:\n    tls: *tls\n'));
    expect(p.locate('/profiles/a/tls')).toMatchObject({ line: 5, column: 10 });
  });
});
