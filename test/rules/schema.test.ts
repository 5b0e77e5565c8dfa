import { describe, expect, it } from 'vitest';
import { lintText, positions, profile } from '../helpers/lint.ts';

const ID = 'schema';

describe(ID, () => {
  it('accepts a complete file', () => {
    expect(lintText(profile(['auth: { username: a@acme.example, password: "${P}" }', 'tls: { verify: true, minVersion: TLSv1.2 }', 'timeouts: { connect: 10s, command: 500ms }']))).toEqual([]);
  });

  it('reports an empty file at 1:1', () => {
    const d = lintText('');
    expect(d).toMatchObject([{ ruleId: ID, line: 1, column: 1 }]);
    expect(d[0]!.message).toMatch(/empty/);
  });

  it.each([
    ['a list', '- a\n- b\n'],
    ['a scalar', 'just text\n'],
  ])('reports a file that is %s', (_, text) => {
    expect(positions(text, ID)).toEqual([{ ruleId: ID, line: 1, column: 1 }]);
  });

  it('refuses version 2 at the value', () => {
    const d = lintText('version: 2\nprofiles:\n  a: { host: h.example, port: 587, encryption: starttls, from: a@acme.example }\n');
    expect(d).toMatchObject([{ ruleId: ID, line: 1, column: 10 }]);
    expect(d[0]!.message).toMatch(/version 1/);
  });

  it('points a missing required key at its parent key', () => {
    expect(positions('profiles:\n  a: { host: h.example, port: 587, encryption: starttls, from: a@acme.example }\n', ID)).toEqual([{ ruleId: ID, line: 1, column: 1 }]);
  });

  it.each([
    ['"587"', 5, 11],
    ['0', 5, 11],
    ['70000', 5, 11],
    ['587.5', 5, 11],
  ])('reports port %s at the value', (port, line, column) => {
    expect(positions(profile([], { port }), ID)).toEqual([{ ruleId: ID, line, column }]);
  });

  it('says to drop the quotes of a quoted port', () => {
    expect(lintText(profile([], { port: '"587"' }))[0]!.hint).toBe('write port: 587 without quotes');
  });

  it.each([
    ['a host with spaces', '"smtp example com"'],
    ['a URL instead of a host', 'smtps://smtp.example.com:465'],
    ['a host with a port', 'smtp.example.com:587'],
  ])('reports %s', (_, host) => {
    const d = lintText(profile([], { host }));
    expect(d).toMatchObject([{ ruleId: ID, line: 4, column: 11 }]);
    expect(d[0]!.hint).toBeTruthy();
  });

  it.each(['"::1"', '"[2001:db8::25]"', '192.0.2.10', '${SMTP_HOST}'])('accepts host %s', (host) => {
    expect(positions(profile([], { host }), ID)).toEqual([]);
  });

  it('refuses encryption: tls with an explanation of ssl and starttls', () => {
    const d = lintText(profile([], { encryption: 'tls' }));
    expect(d).toMatchObject([{ ruleId: ID, line: 6, column: 17 }]);
    expect(d[0]!.message).toMatch(/465/);
    expect(d[0]!.message).toMatch(/587/);
  });

  it('suggests the key one letter off', () => {
    const d = lintText(profile(['replyTo: a@acme.example', 'chaset: UTF-8']));
    expect(d).toMatchObject([{ ruleId: ID, line: 9, column: 5 }]);
    expect(d[0]!.message).toContain('did you mean "charset"');
  });

  it('suggests a transposed key', () => {
    expect(lintText(profile([], { hots: 'x' }))[0]!.message).toContain('did you mean "host"');
  });

  it('reports __proto__ and constructor keys as unknown and changes no prototype', () => {
    const d = lintText(`${profile()}__proto__: { polluted: true }\nconstructor: { prototype: { polluted: true } }\n`);
    expect(d.map((x) => [x.ruleId, x.line, x.column])).toEqual([
      [ID, 8, 1],
      [ID, 9, 1],
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('reports a profile without host, port or encryption after merging defaults', () => {
    const d = lintText('version: 1\ndefaults:\n  port: 587\nprofiles:\n  a:\n    from: a@acme.example\n');
    expect(d.filter((x) => x.ruleId === ID).map((x) => [x.line, x.column, x.message])).toEqual([
      [5, 3, 'profile "a" has no host (set it in the profile, in defaults, or through a preset)'],
      [5, 3, 'profile "a" has no encryption (set it in the profile, in defaults, or through a preset)'],
    ]);
  });

  it('reports a secret in the wrong shape', () => {
    expect(positions(profile(['auth:', '  username: a@acme.example', '  password: { vault: x }']), ID)).toEqual([{ ruleId: ID, line: 10, column: 17 }]);
  });
});
