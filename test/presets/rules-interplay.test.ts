import { describe, expect, it } from 'vitest';
import { lintText, positions, profile } from '../helpers/lint.ts';

// How presets change the lead's core rules: tls-verify-disabled is raised to an error at a public
// provider, and port-encryption-mismatch accepts an endpoint the preset publishes.
describe('presets and the core rules', () => {
  it('tls-verify-disabled is an error at a public provider', () => {
    const text = profile(['preset: gmail', 'tls: { verify: false }'], { host: '', port: '', encryption: '' });
    const d = lintText(text).filter((x) => x.ruleId === 'tls-verify-disabled');
    expect(d.map((x) => [x.severity, x.line, x.column])).toEqual([['error', 6, 20]]);
  });

  it('tls-verify-disabled stays a warning for a server of your own', () => {
    const d = lintText(profile(['tls: { verify: false }'])).filter((x) => x.ruleId === 'tls-verify-disabled');
    expect(d.map((x) => x.severity)).toEqual(['warning']);
  });

  it('port-encryption-mismatch accepts 587 + ssl where the preset publishes it (Spectrum)', () => {
    const text = profile(['preset: spectrum'], { host: 'mobile.charter.net', port: '587', encryption: 'ssl' });
    expect(positions(text, 'port-encryption-mismatch')).toEqual([]);
    expect(positions(text, 'preset-mismatch')).toEqual([]);
  });

  it('the same endpoint without `preset:` is an error whose hint names the preset', () => {
    const text = profile([], { host: 'mobile.charter.net', port: '587', encryption: 'ssl' });
    const d = lintText(text).filter((x) => x.ruleId === 'port-encryption-mismatch');
    expect(d.map((x) => [x.severity, x.line, x.column])).toEqual([['error', 6, 17]]);
    expect(d[0]?.hint).toContain('preset: spectrum');
  });

  it('port-encryption-mismatch still fires for 587 + ssl at a provider that does not publish it', () => {
    const text = profile(['preset: gmail'], { host: 'smtp.gmail.com', port: '587', encryption: 'ssl' });
    expect(positions(text, 'port-encryption-mismatch')).toEqual([{ ruleId: 'port-encryption-mismatch', line: 6, column: 17 }]);
  });

  it('a templated endpoint only matches its listed values', () => {
    const ok = profile(['preset: amazon-ses'], { host: 'email-smtp.eu-central-1.amazonaws.com', port: '465', encryption: 'ssl' });
    expect(lintText(ok).filter((d) => d.severity !== 'info')).toEqual([]);
  });

  it('SES without a host asks for one instead of guessing the region', () => {
    const text = profile(['preset: amazon-ses'], { host: '', port: '', encryption: '' });
    expect(lintText(text).some((d) => d.ruleId === 'schema' && d.message.includes('host'))).toBe(true);
  });
});
