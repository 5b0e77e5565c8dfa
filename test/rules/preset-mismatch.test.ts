import { describe, expect, it } from 'vitest';
import { positions, profile } from '../helpers/lint.ts';

const ID = 'preset-mismatch';
const none = { host: '', port: '', encryption: '' };

describe(ID, () => {
  const valid: [string, string][] = [
    ['the preset alone fills a published endpoint', profile(['preset: gmail'], none)],
    ['another published endpoint', profile(['preset: gmail'], { host: 'smtp.gmail.com', port: '587', encryption: 'starttls' })],
    ['a provider host without preset, published endpoint', profile([], { host: 'smtp.gmail.com', port: '465', encryption: 'ssl' })],
    ['a templated host with a listed region', profile(['preset: amazon-ses'], { host: 'email-smtp.eu-west-1.amazonaws.com', port: '2587', encryption: 'starttls' })],
    ['a server of your own', profile([])],
    ['an HTTP preset', profile(['preset: manager-io'], none)],
  ];
  it.each(valid)('valid: %s', (_, text) => {
    expect(positions(text, ID)).toEqual([]);
  });

  const invalid: [string, string, { line: number; column: number }][] = [
    ['a port the provider does not publish', profile(['preset: gmail'], { host: 'smtp.gmail.com', port: '25', encryption: 'starttls' }), { line: 5, column: 11 }],
    ['a host of another provider', profile(['preset: gmail'], { host: 'smtp.office365.com', port: '587', encryption: 'starttls' }), { line: 4, column: 11 }],
    ['the wrong encryption for the port', profile(['preset: zoho'], { host: 'smtp.zoho.eu', port: '465', encryption: 'starttls' }), { line: 6, column: 17 }],
    ['a region that does not exist', profile(['preset: amazon-ses'], { host: 'email-smtp.mars-1.amazonaws.com', port: '587', encryption: 'starttls' }), { line: 4, column: 11 }],
    ['detected from the host: unpublished port', profile([], { host: 'smtp.mail.yahoo.com', port: '25', encryption: 'starttls' }), { line: 5, column: 11 }],
    ['an HTTP preset used as SMTP', profile(['preset: manager-io', 'transport: smtp']), { line: 9, column: 16 }],
  ];
  it.each(invalid)('invalid: %s', (_, text, at) => {
    expect(positions(text, ID)).toEqual([{ ruleId: ID, ...at }]);
  });
});
