import { describe, expect, it } from 'vitest';
import { positions } from '../helpers/lint.ts';

const ID = 'from-required';
const file = (lines: string[]): string =>
  ['version: 1', 'profiles:', '  prod:', '    host: smtp.sendgrid.example', '    port: 587', '    encryption: starttls', ...lines.map((l) => `    ${l}`), ''].join('\n');

describe(ID, () => {
  it('accepts a from address, or a username that is an address', () => {
    expect(positions(file(['from: { address: a@acme.example }', 'auth: { username: apikey, password: "${K}" }']), ID)).toEqual([]);
    expect(positions(file(['auth: { username: billing@acme.example, password: "${K}" }']), ID)).toEqual([]);
    expect(positions(file(['from: a@acme.example']), ID)).toEqual([]);
  });

  it('reports a non-address username without from, at the username', () => {
    expect(positions(file(['auth:', '  username: apikey', '  password: ${K}']), ID)).toEqual([{ ruleId: ID, line: 8, column: 17 }]);
  });

  it('reports a profile with neither, at the profile key', () => {
    expect(positions(file([]), ID)).toEqual([{ ruleId: ID, line: 3, column: 3 }]);
  });
});
