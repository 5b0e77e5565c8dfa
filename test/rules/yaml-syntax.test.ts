import { describe, expect, it } from 'vitest';
import { lintSource } from '../../src/engine.ts';
import { lintText, positions } from '../helpers/lint.ts';

const ID = 'yaml-syntax';

describe(ID, () => {
  it('accepts a valid file', () => {
    expect(positions('version: 1\nprofiles:\n  a: { host: h.example, port: 587, encryption: starttls, from: a@acme.example }\n', ID)).toEqual([]);
  });

  it('reports the first syntax error at its position and nothing after it', () => {
    const d = lintText('version: 1\nprofiles:\n  a: [1, 2\n  b: 3\n');
    expect(d.map((x) => x.ruleId)).toEqual([ID]);
    expect(d[0]!.line).toBe(4);
  });

  it('reports tab indentation with a hint', () => {
    const d = lintText('version: 1\nprofiles:\n\tprod: {}\n');
    expect(d).toMatchObject([{ ruleId: ID, line: 3, column: 1 }]);
    expect(d[0]!.hint).toMatch(/spaces/);
  });

  it('reports a duplicate key at the second occurrence', () => {
    expect(positions('version: 1\nprofiles:\n  a:\n    port: 587\n    port: 465\n', ID)).toEqual([{ ruleId: ID, line: 5, column: 5 }]);
  });

  it('hints to quote a ${VAR} inside a flow mapping', () => {
    const d = lintText('version: 1\nprofiles:\n  a: { host: h.example, auth: { password: ${P} } }\n');
    expect(d[0]).toMatchObject({ ruleId: ID, line: 3 });
    expect(d[0]!.hint).toContain('"${SMTP_PASSWORD}"');
  });

  it('stops an alias bomb (billion laughs) quickly', () => {
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    const d = lintText(lines.join('\n'));
    expect(d).toMatchObject([{ ruleId: ID, line: 1, column: 1 }]);
    expect(d[0]!.message).toMatch(/alias/);
  });

  it('reports a file over 1 MiB without parsing it', () => {
    const big = `version: 1\n# ${'x'.repeat(1024 * 1024)}\n`;
    expect(lintText(big)).toMatchObject([{ ruleId: ID, line: 1, column: 1 }]);
  });

  it('reports bytes that are not UTF-8 at their position', () => {
    const bytes = Buffer.concat([Buffer.from('version: 1\nprofiles:\n  caf'), Buffer.from([0xe9]), Buffer.from(': {}\n')]);
    const d = lintSource('mail.yaml', bytes).diagnostics;
    expect(d).toMatchObject([{ ruleId: ID, line: 3, column: 6 }]);
    expect(d[0]!.message).toContain('0xe9');
  });

  it('reports a binary file (NUL bytes)', () => {
    const d = lintSource('mail.yaml', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00, 0x00])).diagnostics;
    expect(d).toMatchObject([{ ruleId: ID, line: 1 }]);
  });

  it('accepts a UTF-8 byte order mark', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('version: 1\nprofiles:\n  a: { host: h.example, port: 587, encryption: starttls, from: a@acme.example }\n')]);
    expect(lintSource('mail.yaml', bytes).diagnostics).toEqual([]);
  });

  it('reports a collection used as a key', () => {
    expect(positions('version: 1\n? [a, b]\n: 1\n', ID)).toEqual([{ ruleId: ID, line: 2, column: 3 }]);
  });
});
