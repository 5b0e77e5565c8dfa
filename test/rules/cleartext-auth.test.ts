import { describe, expect, it } from 'vitest';
import { lintText, positions, profile } from '../helpers/lint.ts';

const ID = 'cleartext-auth';
const auth = ['auth: { username: app@acme.example, password: "${SMTP_PASSWORD}" }'];

describe(ID, () => {
  it('accepts credentials over starttls and ssl', () => {
    expect(positions(profile(auth), ID)).toEqual([]);
    expect(positions(profile(auth, { port: '465', encryption: 'ssl' }), ID)).toEqual([]);
  });

  it('accepts encryption none without credentials', () => {
    expect(positions(profile([], { port: '25', encryption: 'none' }), ID)).toEqual([]);
    expect(positions(profile(['auth: { method: none }'], { port: '25', encryption: 'none' }), ID)).toEqual([]);
  });

  it('reports credentials with encryption none at the encryption value', () => {
    expect(positions(profile(auth, { port: '587', encryption: 'none' }), ID)).toEqual([{ ruleId: ID, line: 6, column: 17 }]);
  });

  it('can be lowered to a warning from the file or the command line', () => {
    const text = `${profile(auth, { encryption: 'none' })}rules:\n  cleartext-auth: warn\n`;
    expect(lintText(text).find((d) => d.ruleId === ID)?.severity).toBe('warning');
    expect(lintText(profile(auth, { encryption: 'none' }), { ruleOverrides: { [ID]: 'off' } }).some((d) => d.ruleId === ID)).toBe(false);
  });
});
