import { describe, expect, it } from 'vitest';
import { assertSafeCommand, WireError } from '../../src/net/smtp-wire.ts';

describe('assertSafeCommand (the SMTP writer\'s guard)', () => {
  it.each([
    ['CR', 'RCPT TO:<a@x.example>\rDATA'],
    ['LF', 'MAIL FROM:<a@x.example>\nDATA'],
    ['NUL', 'EHLO a\0b'],
  ])('refuses a command holding %s, naming the command only', (char, line) => {
    let caught: unknown;
    try {
      assertSafeCommand(line, 'RCPT');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(WireError);
    expect(caught).toMatchObject({ kind: 'unsafe-command' });
    expect((caught as Error).message).toContain(char);
    expect((caught as Error).message).not.toContain('x.example');
  });

  it('lets ordinary commands and the empty XOAUTH2 continuation through', () => {
    for (const line of ['EHLO mx.example', 'AUTH PLAIN AGFAYg==', '', 'RCPT TO:<ünï@bücher.example>']) expect(() => assertSafeCommand(line, 'X')).not.toThrow();
  });
});
