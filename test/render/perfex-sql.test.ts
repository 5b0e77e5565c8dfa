/**
 * The perfex render against Perfex CRM's own option list (test/fixtures/perfex, cited there), and
 * its SQL read back by a MySQL string-literal reader (the escape table of the MySQL manual,
 * "String Literals", with NO_BACKSLASH_ESCAPES off, the default): every value comes back exactly,
 * hostile or not, and nothing outside a literal changes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { render } from '../../src/render.ts';
import { toModel } from '../../src/render/model.ts';
import { perfexOptions, perfexSql, PERFEX_FIELDS, sqlString } from '../../src/render/perfex.ts';
import { SEED_PROFILES } from './seed-profiles.ts';

const PERFEX_NAMES = new Set(
  readFileSync(join(import.meta.dirname, '..', 'fixtures', 'perfex', 'email-options.txt'), 'utf8')
    .split('\n')
    .filter(Boolean),
);

const ESCAPES: Record<string, string> = { '0': '\0', "'": "'", '"': '"', b: '\b', n: '\n', r: '\r', t: '\t', Z: '\x1a', '\\': '\\', '%': '\\%', _: '\\_' };

/** Reads one MySQL single-quoted literal at `at`; returns its value and where it ends. */
function readLiteral(sql: string, at: number): { value: string; end: number } {
  if (sql[at] !== "'") throw new Error(`no literal at ${at}: ${sql.slice(at, at + 20)}`);
  let value = '';
  let i = at + 1;
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === '\\') {
      const n = sql[i + 1]!;
      value += ESCAPES[n] ?? n;
      i += 2;
    } else if (c === "'") {
      if (sql[i + 1] === "'") {
        value += "'";
        i += 2;
      } else return { value, end: i + 1 };
    } else {
      value += c;
      i += 1;
    }
  }
  throw new Error('unterminated literal');
}

/** The rows an SQL file sets: every UPDATE read back; the statements around the literals checked. */
function readSql(sql: string): Record<string, string> {
  const rows: Record<string, string> = {};
  const UPDATE = 'UPDATE `tbloptions` SET `value` = ';
  const INSERT = 'INSERT INTO `tbloptions` (`name`, `value`, `autoload`) SELECT ';
  let i = 0;
  const statements: string[] = [];
  while (i < sql.length) {
    if (sql.startsWith('--', i) || sql.startsWith('START TRANSACTION;', i) || sql.startsWith('COMMIT;', i)) {
      const nl = sql.indexOf('\n', i);
      statements.push(sql.slice(i, nl).startsWith('--') ? 'comment' : sql.slice(i, nl));
      i = nl + 1;
    } else if (sql.startsWith(UPDATE, i)) {
      const v = readLiteral(sql, i + UPDATE.length);
      const mid = ' WHERE `name` = ';
      expect(sql.slice(v.end, v.end + mid.length)).toBe(mid);
      const n = readLiteral(sql, v.end + mid.length);
      expect(sql.slice(n.end, n.end + 2)).toBe(';\n');
      rows[n.value] = v.value;
      statements.push('update');
      i = n.end + 2;
    } else if (sql.startsWith(INSERT, i)) {
      const n = readLiteral(sql, i + INSERT.length);
      const mid = ", '', 1 FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM `tbloptions` WHERE `name` = ";
      expect(sql.slice(n.end, n.end + mid.length)).toBe(mid);
      const again = readLiteral(sql, n.end + mid.length);
      expect(again.value).toBe(n.value);
      expect(sql.slice(again.end, again.end + 3)).toBe(');\n');
      statements.push('insert');
      i = again.end + 3;
    } else {
      throw new Error(`unexpected SQL at ${i}: ${JSON.stringify(sql.slice(i, i + 40))}`);
    }
  }
  expect(statements.filter((s) => s !== 'comment')).toEqual(['START TRANSACTION;', ...Object.keys(rows).flatMap(() => ['insert', 'update']), 'COMMIT;']);
  return rows;
}

const HOSTILE = ["O'Brien", 'back\\slash', 'nul\0byte', 'line\nbreak', 'cr\rlf', 'ctrl\x1aZ', '\'; DROP TABLE tbloptions; --', '\\\'', '%_ wildcards', '"double"', 'é 日本語 🙂'];

describe('perfex render: option names are Perfex CRM\'s own', () => {
  it('every option written, for every seed profile, is an option of Perfex\'s Email settings page', () => {
    for (const profile of Object.values(SEED_PROFILES)) {
      if (profile.transport === 'http') continue;
      const names = Object.keys(perfexOptions(toModel(profile)));
      expect(names.filter((n) => !PERFEX_NAMES.has(n))).toEqual([]);
    }
  });

  it('the guide\'s fields are the page\'s options, and smtp_password is never written', () => {
    expect(Object.keys(PERFEX_FIELDS).filter((n) => !PERFEX_NAMES.has(n))).toEqual([]);
    for (const profile of Object.values(SEED_PROFILES)) {
      if (profile.transport === 'http') continue;
      const out = render(profile, 'perfex', { secrets: 'inline', reveal: () => 'S3cret-not-written' });
      for (const f of out.files) expect(f.content).not.toContain('S3cret-not-written');
      expect(Object.keys(JSON.parse(out.files[0]!.content) as object)).not.toContain('smtp_password');
      expect(out.files[1]!.content).not.toMatch(/'smtp_password'/);
      expect(out.files[1]!.content).toMatch(/^-- smtp_password is NOT written/m);
    }
  });
});

describe('perfex SQL: MySQL string literals', () => {
  it.each(HOSTILE.map((h) => [JSON.stringify(h), h]))('%s comes back exactly', (_, value) => {
    expect(readLiteral(sqlString(value), 0)).toEqual({ value, end: sqlString(value).length });
  });

  it('a literal never holds a raw quote, NUL, CR, LF or Ctrl-Z', () => {
    for (const h of HOSTILE) expect(sqlString(h).slice(1, -1)).not.toMatch(/(^|[^\\])(\\\\)*'|[\0\r\n\x1a]/);
  });

  it('the rendered file sets exactly the rendered options, hostile values included', () => {
    const base = SEED_PROFILES['starttls-587']!;
    const profile = { ...base, message: { signature: HOSTILE.join(''), header: HOSTILE[6]!, footer: HOSTILE[4]! } };
    const m = toModel(profile);
    const options = perfexOptions(m);
    expect(readSql(perfexSql(m, options))).toEqual(options);
    const rendered = render(profile, 'perfex', { secrets: 'ref' }).files.find((f) => f.name === 'perfex-options.sql')!.content;
    expect(readSql(rendered)).toEqual(options);
  });

  it('any string round-trips (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 64 }), (s) => {
        const lit = sqlString(s);
        expect(readLiteral(lit, 0)).toEqual({ value: s, end: lit.length });
      }),
      { numRuns: 300 },
    );
  });
});
