import { describe, expect, it } from 'vitest';
import { positions, profile } from '../helpers/lint.ts';

const ID = 'port-encryption-mismatch';

describe(ID, () => {
  it.each([
    ['465 ssl', { port: '465', encryption: 'ssl' }],
    ['587 starttls', { port: '587', encryption: 'starttls' }],
    ['25 none', { port: '25', encryption: 'none' }],
    ['2525 ssl (non-standard port)', { port: '2525', encryption: 'ssl' }],
  ])('accepts %s', (_, base) => {
    expect(positions(profile([], base), ID)).toEqual([]);
  });

  it.each([
    ['465 starttls', { port: '465', encryption: 'starttls' }, 6, 17],
    ['465 none', { port: '465', encryption: 'none' }, 6, 17],
    ['587 ssl', { port: '587', encryption: 'ssl' }, 6, 17],
    ['25 ssl', { port: '25', encryption: 'ssl' }, 6, 17],
  ])('reports %s at the encryption value', (_, base, line, column) => {
    expect(positions(profile([], base), ID)).toEqual([{ ruleId: ID, line, column }]);
  });

  it('points into defaults when the encryption comes from there', () => {
    const text = ['version: 1', 'defaults:', '  encryption: ssl', 'profiles:', '  prod:', '    host: smtp.acme.example', '    port: 587', '    from: { address: a@acme.example }', ''].join('\n');
    expect(positions(text, ID)).toEqual([{ ruleId: ID, line: 3, column: 15 }]);
  });
});
