import { describe, expect, it } from 'vitest';
import { positions, profile } from '../helpers/lint.ts';

const ID = 'plaintext-secret';

describe(ID, () => {
  it.each([
    ['${VAR}', 'password: ${SMTP_PASSWORD}'],
    ['${VAR:-default}', 'password: ${SMTP_PASSWORD:-}'],
    ['{ env }', 'password: { env: SMTP_PASSWORD }'],
    ['{ file }', 'password: { file: /run/secrets/smtp }'],
  ])('accepts a reference %s', (_, line) => {
    expect(positions(profile(['auth:', '  username: app@acme.example', `  ${line}`]), ID)).toEqual([]);
  });

  it('reports a literal password at its value', () => {
    expect(positions(profile(['auth:', '  username: app@acme.example', '  password: hunter2']), ID)).toEqual([{ ruleId: ID, line: 10, column: 17 }]);
  });

  it('reports literal xoauth2 secrets and an HTTP api key', () => {
    const text = profile(['auth:', '  method: xoauth2', '  username: app@acme.example', '  clientSecret: abc', '  refreshToken: "1//xyz"']);
    expect(positions(text, ID)).toEqual([
      { ruleId: ID, line: 11, column: 21 },
      { ruleId: ID, line: 12, column: 21 },
    ]);
    const http = ['version: 1', 'profiles:', '  api:', '    transport: http', '    from: { address: a@acme.example }', '    http:', '      url: https://mail.example.net/send', '      apiKey: key-123', ''].join('\n');
    expect(positions(http, ID)).toEqual([{ ruleId: ID, line: 8, column: 15 }]);
  });

  it('reports a literal in defaults once, not once per profile', () => {
    const text = ['version: 1', 'defaults:', '  auth: { username: a@acme.example, password: s3cr3t-value }', '  from: { address: a@acme.example }', 'profiles:', '  a: { host: h.acme.example, port: 587, encryption: starttls }', '  b: { host: h.acme.example, port: 587, encryption: starttls }', ''].join('\n');
    expect(positions(text, ID)).toEqual([{ ruleId: ID, line: 3, column: 47 }]);
  });
});
