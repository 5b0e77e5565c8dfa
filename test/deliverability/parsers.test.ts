import { generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseBimi } from '../../src/deliverability/bimi.ts';
import { parseDkimKey } from '../../src/deliverability/dkim-key.ts';
import { parseDmarc } from '../../src/deliverability/dmarc-record.ts';
import { mxMatches, parseMtaStsPolicy, parseMtaStsTxt } from '../../src/deliverability/mta-sts.ts';
import { aligned, organisationalDomain } from '../../src/deliverability/org-domain.ts';
import { parseTags } from '../../src/deliverability/tags.ts';
import { parseTlsRpt } from '../../src/deliverability/tls-rpt.ts';

const rsa = (bits: number) =>
  generateKeyPairSync('rsa', { modulusLength: bits }).publicKey.export({ type: 'spki', format: 'der' }).toString('base64');

describe('DKIM key records (RFC 6376 §3.6.1)', () => {
  it('reads an RSA key and its size', () => {
    expect(parseDkimKey(`v=DKIM1; k=rsa; p=${rsa(2048)}`)).toEqual({ k: 'rsa', revoked: false, bits: 2048, testing: false });
    expect(parseDkimKey(`v=DKIM1; t=y; p=${rsa(1024)}`)).toMatchObject({ bits: 1024, testing: true });
  });
  it('an empty p= is a revoked key', () => {
    expect(parseDkimKey('v=DKIM1; k=rsa; p=')).toEqual({ k: 'rsa', revoked: true, testing: false });
  });
  it.each([
    ['v=DKIM2; p=abc', /DKIM1/],
    ['v=DKIM1; k=rsa', /no p=/],
    ['v=DKIM1; p=@@@', /base64/],
    ['v=DKIM1; p=AAAA', /decode/],
    ['v=DKIM1; k=dsa; p=AAAA', /key type/],
    ['v=DKIM1; p=a; p=b', /twice/],
  ])('refuses %s', (text, why) => {
    const r = parseDkimKey(text);
    expect('error' in r && r.error).toMatch(why);
  });
});

describe('DMARC records (RFC 7489 §6.3)', () => {
  it('reads p, sp, adkim, aspf, pct and rua', () => {
    expect(parseDmarc('v=DMARC1; p=reject; sp=none; adkim=s; aspf=r; pct=50; rua=mailto:a@x.test, mailto:b@x.test')).toEqual({
      p: 'reject',
      sp: 'none',
      adkim: 's',
      aspf: 'r',
      pct: 50,
      rua: ['mailto:a@x.test', 'mailto:b@x.test'],
    });
  });
  it('sp defaults to p; alignment defaults to relaxed', () => {
    expect(parseDmarc('v=DMARC1; p=quarantine')).toMatchObject({ sp: 'quarantine', adkim: 'r', aspf: 'r', pct: 100 });
  });
  it('refuses a record without a valid p=', () => {
    expect(parseDmarc('v=DMARC1; p=maybe')).toHaveProperty('error');
    expect(parseDmarc('p=reject')).toHaveProperty('error');
  });
});

describe('organisational domains (Public Suffix List, via tldts)', () => {
  it.each([
    ['mail.example.co.uk', 'example.co.uk'],
    ['a.b.example.com', 'example.com'],
    ['app.acme.github.io', 'acme.github.io'],
    ['example.com', 'example.com'],
  ])('%s → %s', (d, org) => expect(organisationalDomain(d)).toBe(org));
  it('relaxed alignment compares organisational domains; strict the names', () => {
    expect(aligned('bounce.example.com', 'example.com', 'r')).toBe(true);
    expect(aligned('bounce.example.com', 'example.com', 's')).toBe(false);
    expect(aligned('example.co.uk', 'other.co.uk', 'r')).toBe(false);
  });
});

describe('MTA-STS (RFC 8461)', () => {
  it('reads the TXT record', () => {
    expect(parseMtaStsTxt('v=STSv1; id=20261205T000000')).toEqual({ id: '20261205T000000' });
    expect(parseMtaStsTxt('v=STSv1; id=no-dashes-allowed')).toHaveProperty('error');
  });
  it('reads a policy strictly', () => {
    expect(parseMtaStsPolicy('version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.example.net\r\nmax_age: 604800\r\n')).toEqual({
      mode: 'enforce',
      mx: ['mail.example.com', '*.example.net'],
      maxAge: 604800,
    });
    expect(parseMtaStsPolicy('<html>not a policy</html>')).toHaveProperty('error');
    expect(parseMtaStsPolicy('version: STSv1\nmode: enforce\nmax_age: 1\n')).toHaveProperty('error');
  });
  it('a wildcard matches exactly one more label', () => {
    expect(mxMatches('*.example.net', 'mx1.example.net')).toBe(true);
    expect(mxMatches('*.example.net', 'a.mx1.example.net')).toBe(false);
    expect(mxMatches('*.example.net', 'example.net')).toBe(false);
    expect(mxMatches('mail.example.com', 'MAIL.example.com.')).toBe(true);
  });
});

describe('TLS-RPT and BIMI', () => {
  it('TLS-RPT needs mailto: or https: destinations', () => {
    expect(parseTlsRpt('v=TLSRPTv1; rua=mailto:tls@example.com,https://r.example.com/x')).toEqual({ rua: ['mailto:tls@example.com', 'https://r.example.com/x'] });
    expect(parseTlsRpt('v=TLSRPTv1; rua=http://r.example.com/')).toHaveProperty('error');
    expect(parseTlsRpt('v=TLSRPTv1;')).toHaveProperty('error');
  });
  it('BIMI wants an https SVG', () => {
    expect(parseBimi('v=BIMI1; l=https://x.test/logo.svg; a=')).toEqual({ logo: 'https://x.test/logo.svg' });
    expect(parseBimi('v=BIMI1; l=http://x.test/logo.png')).toHaveProperty('error');
  });
});

describe('the parsers never throw, whatever a DNS server sends', () => {
  const text = fc.string({ unit: 'binary', maxLength: 300 });
  it.each([
    ['tags', parseTags],
    ['dkim', parseDkimKey],
    ['dmarc', parseDmarc],
    ['mta-sts txt', parseMtaStsTxt],
    ['mta-sts policy', parseMtaStsPolicy],
    ['tls-rpt', parseTlsRpt],
    ['bimi', parseBimi],
  ] as const)('%s', (_name, parse) => {
    fc.assert(
      fc.property(fc.oneof(text, text.map((t) => `v=DKIM1; p=${t}`), text.map((t) => `v=STSv1; id=${t}`), text.map((t) => `version: STSv1\nmode: ${t}\n`)), (t) => {
        expect(() => (parse as (s: string) => unknown)(t)).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });
  it('mx matching and alignment', () => {
    fc.assert(
      fc.property(fc.domain(), fc.domain(), (a, b) => {
        expect(typeof mxMatches(`*.${a}`, b)).toBe('boolean');
        expect(aligned(a, b)).toBe(aligned(b, a));
      }),
      { numRuns: 200 },
    );
  });
});
