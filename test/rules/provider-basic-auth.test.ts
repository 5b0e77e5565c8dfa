import { describe, expect, it } from 'vitest';
import { basicAuthPhase } from '../../src/rules/provider-basic-auth.ts';
import type { PresetPolicy } from '../../src/types.ts';
import { lintText, positions, profile } from '../helpers/lint.ts';

const ID = 'provider-basic-auth';
const none = { host: '', port: '', encryption: '' };
const login = (user: string): string[] => ['auth:', '  method: login', `  username: ${user}`, '  password: ${SMTP_PASSWORD}'];
const before = new Date('2026-01-15T12:00:00Z');
const after = new Date('2026-05-01T00:00:00Z');
const defaultOff = new Date('2027-01-15T00:00:00Z');

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
    ['Microsoft 365 before the default-off date: warning', profile(['preset: office365', ...login('app@acme.example')], none), before, { line: 7, column: 15 }, 'warning'],
    ['Microsoft 365 after the old April 2026 date: still a warning', profile(['preset: office365', ...login('app@acme.example')], none), after, { line: 7, column: 15 }, 'warning'],
    ['Microsoft 365 off by default (admins can re-enable): warning', profile(['preset: office365', ...login('app@acme.example')], none), defaultOff, { line: 7, column: 15 }, 'warning'],
    ['Outlook.com detected from its host, method defaulted', profile(['auth:', '  username: me@outlook.com', '  password: ${SMTP_PASSWORD}'], { host: 'smtp-mail.outlook.com', port: '587', encryption: 'starttls' }), after, { line: 10, column: 17 }, 'error'],
  ];
  it.each(invalid)('invalid: %s', (_, text, now, at, severity) => {
    expect(positions(text, ID, { now })).toEqual([{ ruleId: ID, ...at }]);
    expect(lintText(text, { now }).find((d) => d.ruleId === ID)?.severity).toBe(severity);
  });

  it('a severity the user set wins over the date', () => {
    const text = `${profile(['auth:', '  username: me@outlook.com', '  password: ${SMTP_PASSWORD}'], { host: 'smtp-mail.outlook.com', port: '587', encryption: 'starttls' })}rules:\n  provider-basic-auth: warn\n`;
    expect(lintText(text, { now: after }).find((d) => d.ruleId === ID)?.severity).toBe('warning');
  });

  it('Microsoft 365 phases: message id and dates from the preset', () => {
    const text = profile(['preset: office365', ...login('app@acme.example')], none);
    const at = (now: Date) => lintText(text, { now }).find((d) => d.ruleId === ID)!;
    expect(at(new Date('2026-12-05T00:00:00Z')).message).toContain('2026-12-31');
    expect(at(new Date('2026-12-05T00:00:00Z')).hint).toContain('mailcheck oauth login --profile');
    expect(at(defaultOff).message).toContain('second half of 2027');
  });
});

describe('basicAuthPhase', () => {
  const ev = (kind: PresetPolicy['kind'], date?: string): PresetPolicy => ({ topic: 'basic-auth', kind, ...(date ? { date } : { expected: 'later' }), summary: 's', source: 'https://x.example' });
  const t = (d: string): number => Date.parse(`${d}T00:00:00Z`);
  const phases = [ev('announced', '2026-01-27'), ev('default-off', '2026-12-31'), ev('removed', '2027-10-01')];
  it.each([
    ['2026-06-01', 'before-default-off'],
    ['2026-12-31', 'default-off'],
    ['2027-09-30', 'default-off'],
    ['2027-10-01', 'removed'],
  ])('%s -> %s', (day, id) => {
    expect(basicAuthPhase(phases, t(day))?.messageId).toBe(id);
  });
  it('a removal without a default-off phase warns before and errors after', () => {
    expect(basicAuthPhase([ev('removed', '2024-09-16')], t('2024-09-01'))?.messageId).toBe('before-removal');
    expect(basicAuthPhase([ev('removed', '2024-09-16')], t('2024-09-16'))?.messageId).toBe('removed');
  });
  it('an announcement alone says nothing; other topics are ignored', () => {
    expect(basicAuthPhase([ev('announced', '2026-01-27')], t('2027-01-01'))).toBeUndefined();
    expect(basicAuthPhase([{ ...ev('removed', '2020-01-01'), topic: 'less-secure-apps' }], t('2027-01-01'))).toBeUndefined();
  });
});
