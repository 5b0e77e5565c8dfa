import { describe, expect, it } from 'vitest';
import { positions } from '../helpers/lint.ts';

const ID = 'sender-domain-mismatch';

const doc = (preset: string, username: string, from: string): string =>
  [
    'version: 1',
    'profiles:',
    '  prod:',
    `    preset: ${preset}`,
    '    auth:',
    `      username: ${username}`,
    '      password: ${SMTP_PASSWORD}',
    `    from: { address: ${from} }`,
    '',
  ].join('\n');

describe(ID, () => {
  const valid: [string, string][] = [
    ['same domain', doc('gmail', 'me@gmail.com', 'me@gmail.com')],
    ['domain case differs only', doc('yahoo', 'me@yahoo.com', 'Me@YAHOO.com')],
    ['a sending service does not care', doc('mailgun', 'postmaster@mg.acme.example', 'billing@acme.example')],
    ['username is not an address', doc('sendgrid', 'apikey', 'billing@acme.example')],
    ['a variable in the address', doc('gmail', 'me@gmail.com', '${MAIL_FROM}')],
  ];
  it.each(valid)('valid: %s', (_, text) => {
    expect(positions(text, ID)).toEqual([]);
  });

  const invalid: [string, string, { line: number; column: number }][] = [
    ['Gmail login, company From', doc('gmail', 'me@gmail.com', 'billing@acme.example'), { line: 8, column: 22 }],
    ['Microsoft 365 login at another domain', doc('office365', 'app@acme.example', 'billing@other.example'), { line: 8, column: 22 }],
  ];
  it.each(invalid)('invalid: %s', (_, text, at) => {
    expect(positions(text, ID)).toEqual([{ ruleId: ID, ...at }]);
  });

  it('from in defaults is pointed at in defaults', () => {
    const text = ['version: 1', 'defaults:', '  from: { address: billing@acme.example }', 'profiles:', '  prod:', '    preset: gmail', '    auth:', '      username: me@gmail.com', '      password: ${SMTP_PASSWORD}', ''].join('\n');
    expect(positions(text, ID)).toEqual([{ ruleId: ID, line: 3, column: 20 }]);
  });
});
