import { describe, expect, it } from 'vitest';
import { positions, profile } from '../helpers/lint.ts';

const ID = 'provider-app-password';
const none = { host: '', port: '', encryption: '' };
const login = (user: string): string[] => ['auth:', `  username: ${user}`, '  password: ${SMTP_PASSWORD}'];

describe(ID, () => {
  const valid: [string, string][] = [
    ['a provider without app passwords', profile(['preset: posteo', ...login('me@posteo.de')], none)],
    ['OAuth2 at Gmail', profile(['preset: gmail', 'auth:', '  method: xoauth2', '  user: me@gmail.com', '  clientId: id', '  clientSecret: ${CS}', '  refreshToken: ${RT}'], none)],
    ['no login at all', profile(['preset: gmail'], none)],
    ['a server of your own', profile(login('app@acme.example'))],
  ];
  it.each(valid)('valid: %s', (_, text) => {
    expect(positions(text, ID)).toEqual([]);
  });

  const invalid: [string, string, { line: number; column: number }][] = [
    ['password login at Gmail', profile(['preset: gmail', ...login('me@gmail.com')], none), { line: 8, column: 17 }],
    ['detected from the host (iCloud)', profile(login('me@icloud.com'), { host: 'smtp.mail.me.com', port: '587', encryption: 'starttls' }), { line: 10, column: 17 }],
    ['username only, the password left out', profile(['preset: yahoo', 'auth: { username: me@yahoo.com }'], none), { line: 6, column: 23 }],
  ];
  it.each(invalid)('invalid: %s', (_, text, at) => {
    expect(positions(text, ID)).toEqual([{ ruleId: ID, ...at }]);
  });

  it('is an info and carries the provider in its data', () => {
    const text = profile(['preset: gmail', ...login('me@gmail.com')], none);
    const d = positions(text, ID);
    expect(d).toHaveLength(1);
  });
});
