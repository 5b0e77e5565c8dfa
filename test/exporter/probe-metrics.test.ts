import { expect, test } from 'vitest';
import { exposition, probeFamilies, validSelector } from '../../src/exporter/probe-metrics.ts';
import type { CheckResult } from '../../src/types.ts';

const r = (id: string, status: CheckResult['status'], details: Record<string, unknown> = {}, durationMs = 12): CheckResult => ({
  id,
  profile: 'p',
  status,
  messageId: String(details.reason ?? 'fixture'),
  message: 'free text 10.0.0.1 user@example.org',
  durationMs,
  details: { reason: status === 'pass' ? 'ok' : 'rejected', ...details },
});

const text = (results: CheckResult[]): string => exposition(probeFamilies({ results, durationMs: 40 }, Date.UTC(2030, 0, 1)));

test('dns.dkim and oauth.token results light up their series, read generically from details', () => {
  const results = [
    r('dns.host', 'pass'),
    r('dns.dkim', 'warn', { selectors: [{ selector: 'S1', bits: 1024 }, { selector: 'google', keyBits: 2048 }, { selector: 'bad label!', bits: 512 }, { selector: '10.0.0.1', bits: 4096 }] }),
    r('oauth.token', 'pass', { token: { expiresAt: '2030-01-01T01:00:00Z' } }),
  ];
  // both checks are registered: their series appear without being named in `known`
  expect(text(results)).toContain('mailcheck_dkim_key_bits{selector="s1"} 1024');
  expect(text(results)).toContain('mailcheck_check_success{check="oauth.token"} 1');
  // once registered, they are
  const known = new Set(['dns.host', 'dns.dkim', 'oauth.token']);
  const body = exposition(probeFamilies({ results, durationMs: 40 }, Date.UTC(2030, 0, 1), known));
  expect(body).toContain('mailcheck_dkim_key_bits{selector="s1"} 1024');
  expect(body).toContain('mailcheck_dkim_key_bits{selector="google"} 2048');
  expect(body).not.toMatch(/bad label|10\.0\.0\.1/);
  expect(body).toContain(`mailcheck_oauth_token_expiry_timestamp_seconds ${Date.UTC(2030, 0, 1, 1) / 1000}`);
  expect(body).toContain('mailcheck_check_success{check="dns.dkim"} 1');
  // expiresIn (seconds) counts from now
  const relative = exposition(probeFamilies({ results: [r('oauth.token', 'pass', { expiresIn: 3600 })], durationMs: 1 }, Date.UTC(2030, 0, 1), known));
  expect(relative).toContain(`mailcheck_oauth_token_expiry_timestamp_seconds ${Date.UTC(2030, 0, 1, 1) / 1000}`);
});

test('selectors: DNS labels only, lowercased; addresses are not selectors', () => {
  expect(validSelector('S1')).toBe('s1');
  expect(validSelector('2019.mail')).toBe('2019.mail');
  expect(validSelector('bad label!')).toBeUndefined();
  expect(validSelector('-x')).toBeUndefined();
  expect(validSelector('a'.repeat(64))).toBeUndefined();
  expect(validSelector(42)).toBeUndefined();
  expect(validSelector('192.0.2.1')).toBeUndefined();
  expect(validSelector('20230601')).toBe('20230601');
});

test('no message text, address or unknown id in the output; benign skips leave no success series', () => {
  const body = text([
    r('dns.host', 'pass', { addresses: ['10.0.0.1'] }),
    r('dns.mx', 'skip', { reason: 'no-domain' }),
    r('smtp.auth', 'skip', { reason: 'no-secret' }),
    r('made.up', 'fail'),
  ]);
  expect(body).not.toMatch(/10\.0\.0\.1|example\.org|free text|made\.up/);
  expect(body).toContain('probe_success 0');
  expect(body).toContain('mailcheck_check_success{check="smtp.auth"} 0');
  expect(body).not.toContain('mailcheck_check_success{check="dns.mx"}');
  expect(body).toContain('mailcheck_check_failure_info{check="smtp.auth",reason="no-secret"} 1');
});

test('an unknown reason becomes "other"; TLS versions use blackbox spelling', () => {
  const body = text([r('smtp.greeting', 'fail', { reason: 'anything the server said' }), r('tls.handshake', 'pass', { protocol: 'TLSv1.2', certificate: [{ validTo: '2031-01-01T00:00:00.000Z' }, { validTo: '2030-06-01T00:00:00.000Z' }] })]);
  expect(body).toContain('mailcheck_check_failure_info{check="smtp.greeting",reason="other"} 1');
  expect(body).toContain('probe_tls_version_info{version="TLS 1.2"} 1');
  expect(body).toContain(`probe_ssl_earliest_cert_expiry ${Date.UTC(2030, 5, 1) / 1000}`);
});
