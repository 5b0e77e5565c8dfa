import { describe, expect, it } from 'vitest';
import { positions, profile } from '../helpers/lint.ts';

const ID = 'weak-tls-version';

describe(ID, () => {
  it.each(['TLSv1.2', 'TLSv1.3'])('accepts %s', (v) => {
    expect(positions(profile([`tls: { minVersion: ${v} }`]), ID)).toEqual([]);
  });

  it.each(['TLSv1', 'TLSv1.1'])('reports %s at the value', (v) => {
    expect(positions(profile(['tls:', `  minVersion: ${v}`]), ID)).toEqual([{ ruleId: ID, line: 9, column: 19 }]);
  });
});
