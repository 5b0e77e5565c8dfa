import { describe, expect, it } from 'vitest';
import { lintText, positions, profile } from '../helpers/lint.ts';

const ID = 'tls-verify-disabled';

describe(ID, () => {
  it('accepts verification on, and a private CA', () => {
    expect(positions(profile(['tls: { verify: true }']), ID)).toEqual([]);
    expect(positions(profile(['tls: { ca: ./ca.pem }']), ID)).toEqual([]);
  });

  it('warns at the verify value for a private host', () => {
    expect(positions(profile(['tls:', '  verify: false']), ID)).toEqual([{ ruleId: ID, line: 9, column: 15 }]);
    expect(lintText(profile(['tls:', '  verify: false'])).find((d) => d.ruleId === ID)?.severity).toBe('warning');
  });
});
