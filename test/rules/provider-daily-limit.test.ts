import { describe, expect, it } from 'vitest';
import { positions, profile } from '../helpers/lint.ts';

const ID = 'provider-daily-limit';
const none = { host: '', port: '', encryption: '' };

describe(ID, () => {
  const valid: [string, string][] = [
    ['at the limit', profile(['preset: gmail', 'limits: { perDay: 500 }'], none)],
    ['below the limit', profile(['preset: brevo', 'limits: { perDay: 10 }'], none)],
    ['a provider without a published limit', profile(['preset: posteo', 'limits: { perDay: 100000 }'], none)],
    ['no provider', profile(['limits: { perDay: 100000 }'])],
  ];
  it.each(valid)('valid: %s', (_, text) => {
    expect(positions(text, ID)).toEqual([]);
  });

  const invalid: [string, string, { line: number; column: number }][] = [
    ['above the Gmail limit', profile(['preset: gmail', 'limits: { perDay: 5000 }'], none), { line: 6, column: 23 }],
    ['above the limit, detected from the host', profile(['limits:', '  perDay: 1000'], { host: 'smtp.mail.yahoo.com', port: '465', encryption: 'ssl' }), { line: 9, column: 15 }],
  ];
  it.each(invalid)('invalid: %s', (_, text, at) => {
    expect(positions(text, ID)).toEqual([{ ruleId: ID, ...at }]);
  });
});
