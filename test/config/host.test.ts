import { describe, expect, it } from 'vitest';
import { hostProblem } from '../../src/config/host.ts';

describe('hostProblem', () => {
  it.each(['smtp.acme.example', 'smtp.acme.example.', '127.0.0.1', '::1', '[::1]', '2001:db8::25', '[2001:db8::25]', 'fe80::1%eth0', 'mail.bücher.example', 'xn--bcher-kva.example', '${SMTP_HOST}', '${SMTP_HOST:-smtp.acme.example}'])('accepts %s', (host) => {
    expect(hostProblem(host)).toBeUndefined();
  });

  it.each(['127.0.0.1:587', '[::1]:587', 'smtp.acme.example:587', 'evil:25', 'dead:25', '[::1]:'])('%s carries a port', (host) => {
    expect(hostProblem(host)).toBe('port');
  });

  it.each(['', '.', 'a..b', 'bücher..example', `${'a'.repeat(64)}.example`, 'a'.repeat(254), '[::1', '[smtp.acme.example]', '[::1]x', 'mail server.example', 'mail\r\nevil', 'a:b:c:d'])('refuses %j', (host) => {
    expect(hostProblem(host)).toBe('invalid');
  });
});
