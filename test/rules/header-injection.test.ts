import { describe, expect, it } from 'vitest';
import { lintText, positions } from '../helpers/lint.ts';

const ID = 'header-injection';
const file = (from: string, extra: string[] = []): string =>
  ['version: 1', 'profiles:', '  prod:', '    host: smtp.acme.example', '    port: 587', '    encryption: starttls', `    from: ${from}`, ...extra, ''].join('\n');

describe(ID, () => {
  it('accepts ordinary names, including non-ASCII ones', () => {
    expect(positions(file('{ address: a@acme.example, name: "Société Générale — Facturation" }'), ID)).toEqual([]);
  });

  it.each([
    ['CR LF in the From name', '{ address: a@acme.example, name: "Acme\\r\\nBcc: x@evil.example" }', 7, 44],
    ['LF in the address', '{ address: "a@acme.example\\nBcc: x@evil.example" }', 7, 22],
    ['NUL in the name', '{ address: a@acme.example, name: "Acme\\0" }', 7, 44],
  ])('reports %s at the value', (_, from, line, column) => {
    expect(positions(file(from), ID)).toEqual([{ ruleId: ID, line, column }]);
  });

  it('reports a line break in the username and in a bcc entry', () => {
    const text = file('{ address: a@acme.example }', ['    auth: { username: "app\\r\\nRCPT TO:<x@evil.example>", password: "${P}" }', '    bcc: [ok@acme.example, "x@acme.example\\n"]']);
    expect(positions(text, ID)).toEqual([
      { ruleId: ID, line: 8, column: 23 },
      { ruleId: ID, line: 9, column: 28 },
    ]);
  });

  it('with the run\'s environment, a line break from a ${VAR} is reported naming the variable, not the value', () => {
    const text = file('{ address: "${MAIL_FROM}", name: "${NAME:-Acme}" }', ['    ehlo: "${EHLO}"']);
    const env = { MAIL_FROM: 'a@acme.example\r\nRCPT TO:<x@evil.example>', EHLO: 'ok.example' };
    const d = lintText(text, { env }).filter((x) => x.ruleId === ID);
    expect(d.map((x) => [x.pointer, x.line])).toEqual([['/profiles/prod/from/address', 7]]);
    expect(d[0]!.message).toContain('${MAIL_FROM}');
    expect(d[0]!.message).not.toContain('evil');
    // lint proper never reads the environment
    expect(lintText(text).filter((x) => x.ruleId === ID)).toEqual([]);
    // a variable that is not set is the run's business (it names it), not a finding
    expect(lintText(text, { env: {} }).filter((x) => x.ruleId === ID)).toEqual([]);
  });
});
