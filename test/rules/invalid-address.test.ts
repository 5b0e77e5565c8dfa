import { describe, expect, it } from 'vitest';
import { positions, profile } from '../helpers/lint.ts';

const ID = 'invalid-address';
const withFrom = (address: string, extra: string[] = []): string =>
  ['version: 1', 'profiles:', '  prod:', '    host: smtp.acme.example', '    port: 587', '    encryption: starttls', `    from: { address: ${address} }`, ...extra, ''].join('\n');

describe(ID, () => {
  it.each([
    'billing@acme.example',
    'first.last+tag@sub.acme.example',
    'info@bücher.example',
    'info@xn--bcher-kva.example',
    '"odd local"@acme.example',
    'пользователь@пример.рф',
    'ops@[192.0.2.1]',
    '${FROM_ADDRESS}',
  ])('accepts %s', (address) => {
    expect(positions(withFrom(JSON.stringify(address)), ID)).toEqual([]);
  });

  it.each([
    ['no @', 'billing.acme.example'],
    ['display form', 'Acme <billing@acme.example>'],
    ['no dot in the domain', 'billing@acme'],
    ['double dot', 'a..b@acme.example'],
    ['empty local part', '@acme.example'],
    ['space', 'bill ing@acme.example'],
  ])('reports %s at the address', (_, address) => {
    expect(positions(withFrom(JSON.stringify(address)), ID)).toEqual([{ ruleId: ID, line: 7, column: 22 }]);
  });

  it('checks replyTo and each bcc entry', () => {
    expect(positions(profile(['replyTo: not-an-address', 'bcc: [ok@acme.example, nope]']), ID)).toEqual([
      { ruleId: ID, line: 8, column: 14 },
      { ruleId: ID, line: 9, column: 28 },
    ]);
  });
});
