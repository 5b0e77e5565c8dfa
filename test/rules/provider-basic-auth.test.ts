import { describe, expect, it } from 'vitest';
import { lintText, positions, profile } from '../helpers/lint.ts';

const ID = 'provider-basic-auth';
const none = { host: '', port: '', encryption: '' };
const login = (user: string): string[] => ['auth:', '  method: login', `  username: ${user}`, '  password: ${SMTP_PASSWORD}'];
const before = new Date('2026-01-15T12:00:00Z');
const after = new Date('2026-05-01T00:00:00Z');

describe(ID, () => {
  const oauth = ['auth:', '  method: xoauth2', '  user: app@acme.example', '  clientId: id', '  clientSecret: ${CS}', '  refreshToken: ${RT}'];
  const valid: [string, string][] = [
    ['OAuth2 at Microsoft 365', profile(['preset: office365', ...oauth], none)],
    ['password login at a provider without a retirement date', profile(['preset: posteo', ...login('me@posteo.de')], none)],
    ['no login', profile(['preset: office365'], none)],
  ];
  it.each(valid)('valid: %s', (_, text) => {
    expect(positions(text, ID, { now: after })).toEqual([]);
  });

  const invalid: [string, string, Date, { line: number; column: number }, 'warning' | 'error'][] = [
    ['Microsoft 365 before the date: warning', profile(['preset: office365', ...login('app@acme.example')], none), before, { line: 7, column: 15 }, 'warning'],
    ['Microsoft 365 after the date: error', profile(['preset: office365', ...login('app@acme.example')], none), after, { line: 7, column: 15 }, 'error'],
    ['Outlook.com detected from its host, method defaulted', profile(['auth:', '  username: me@outlook.com', '  password: ${SMTP_PASSWORD}'], { host: 'smtp-mail.outlook.com', port: '587', encryption: 'starttls' }), after, { line: 10, column: 17 }, 'error'],
  ];
  it.each(invalid)('invalid: %s', (_, text, now, at, severity) => {
    expect(positions(text, ID, { now })).toEqual([{ ruleId: ID, ...at }]);
    expect(lintText(text, { now }).find((d) => d.ruleId === ID)?.severity).toBe(severity);
  });

  it('a severity the user set wins over the date', () => {
    const text = `${profile(['preset: office365', ...login('app@acme.example')], none)}rules:\n  provider-basic-auth: warn\n`;
    expect(lintText(text, { now: after }).find((d) => d.ruleId === ID)?.severity).toBe('warning');
  });
});
