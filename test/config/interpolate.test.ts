import { describe, expect, it } from 'vitest';
import { environmentProblems, interpolateProfile, referencedVariables, wireProblem } from '../../src/config/interpolate.ts';
import { isMailcheckError } from '../../src/errors.ts';
import type { Profile } from '../../src/types.ts';

const base: Profile = { name: 'p', transport: 'smtp', host: 'smtp.acme.example', port: 587, encryption: 'starttls', from: { address: 'a@acme.example' }, bcc: [] };

describe('interpolation checks (SPEC §7)', () => {
  it('names the variables of a value, each once', () => {
    expect(referencedVariables('${A}-${B:-x}-${A}')).toEqual(['A', 'B']);
  });

  it('classifies problems without repeating the value', () => {
    expect(wireProblem('a\r\nb', 'line')).toMatchObject({ reason: 'break' });
    expect(wireProblem('a\0b', 'line')).toMatchObject({ reason: 'break', char: 'NUL' });
    expect(wireProblem('Boss <b@x.example>', 'address')).toMatchObject({ reason: 'address' });
    expect(wireProblem('http://127.0.0.1/token', 'https')).toMatchObject({ reason: 'https' });
    expect(wireProblem('https://oauth2.googleapis.com/token', 'https')).toBeUndefined();
    expect(wireProblem('b@x.example', 'address')).toBeUndefined();
  });

  it('interpolateProfile throws E_UNSAFE_VALUE naming the field and variable; a literal is lint\'s business', () => {
    const p: Profile = { ...base, ehlo: '${EHLO}', replyTo: '${REPLY}' };
    let caught: unknown;
    try {
      interpolateProfile(p, { EHLO: 'x\r\nDATA', REPLY: 'r@acme.example' });
    } catch (err) {
      caught = err;
    }
    expect(isMailcheckError(caught) && caught.code).toBe('E_UNSAFE_VALUE');
    expect((caught as Error).message).toContain('ehlo (from ${EHLO})');
    expect((caught as Error).message).not.toContain('DATA');
    expect(interpolateProfile(p, { EHLO: 'mx.acme.example', REPLY: 'r@acme.example' }).ehlo).toBe('mx.acme.example');
    // no reference: not judged here
    expect(interpolateProfile({ ...base, ehlo: 'a\nb' }, {}).ehlo).toBe('a\nb');
  });

  it('environmentProblems skips a missing variable and reports a bad one', () => {
    const p: Profile = { ...base, from: { address: '${FROM}' }, bcc: ['${BCC}'] };
    expect(environmentProblems(p, {})).toEqual([]);
    expect(environmentProblems(p, { BCC: 'nope' }).map((x) => [x.field, x.reason, x.variables])).toEqual([['bcc[0]', 'address', ['BCC']]]);
  });
});
