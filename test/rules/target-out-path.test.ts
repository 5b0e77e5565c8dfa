import { describe, expect, it } from 'vitest';
import { lintText, positions, profile } from '../helpers/lint.ts';

const ID = 'target-out-path';
const withOut = (out: string) => `${profile()}targets:\n  - { target: laravel, profile: prod, out: ${out} }\n`;

describe(ID, () => {
  it.each(['deploy/mail.env', 'mail.env', './x/../mail.env'])('accepts %s', (out) => {
    expect(positions(withOut(out), ID)).toEqual([]);
  });

  it('warns about an absolute path, at the value', () => {
    const d = lintText(withOut('/etc/app/mail.env')).filter((x) => x.ruleId === ID);
    expect(d).toMatchObject([{ messageId: 'absolute', severity: 'warning', line: 9, column: 44 }]);
  });

  it.each(['../mail.env', 'deploy/../../mail.env', '..'])('refuses %s, which leaves the folder (an error: deploy would refuse it)', (out) => {
    expect(lintText(withOut(out)).filter((x) => x.ruleId === ID)).toMatchObject([{ messageId: 'outside', severity: 'error' }]);
  });
});
