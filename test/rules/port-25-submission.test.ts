import { describe, expect, it } from 'vitest';
import { positions, profile } from '../helpers/lint.ts';

const ID = 'port-25-submission';
const auth = ['auth: { username: app@acme.example, password: "${SMTP_PASSWORD}" }'];

describe(ID, () => {
  it('accepts port 25 without login, and login on 587', () => {
    expect(positions(profile([], { port: '25' }), ID)).toEqual([]);
    expect(positions(profile(auth), ID)).toEqual([]);
  });

  it('reports login on port 25 at the port', () => {
    expect(positions(profile(auth, { port: '25' }), ID)).toEqual([{ ruleId: ID, line: 5, column: 11 }]);
  });
});
