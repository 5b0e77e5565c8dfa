import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runChecks } from '../../src/checks/run.ts';
import { walkSpf } from '../../src/checks/dns-spf.ts';
import { recordDns as resolverDns } from '../../src/checks/resolver-dns.ts';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.ts';
import type { Profile } from '../../src/types.ts';
import { byId, reasonOf, sandboxProfile, sandboxRun } from './helpers.ts';

let sb: Sandbox;
let D: string;
beforeAll(async () => {
  sb = await startSandbox();
  D = sb.domain;
  const chain = Array.from({ length: 11 }, (_, i) => ({ name: `l${i}.chain.${D}`, type: 'TXT' as const, text: i < 10 ? `v=spf1 include:l${i + 1}.chain.${D} -all` : 'v=spf1 -all' }));
  sb.addRecords([
    { name: `nullmx.${D}`, type: 'MX', priority: 0, exchange: '.' },
    { name: `nomx.${D}`, type: 'A', address: '127.0.0.1' },
    { name: `gsuite.${D}`, type: 'TXT', text: 'v=spf1 include:_spf.google.com ~all' },
    { name: '_spf.google.com', type: 'TXT', text: 'v=spf1 ip4:192.0.2.0/24 ~all' },
    { name: `twospf.${D}`, type: 'TXT', text: 'v=spf1 -all' },
    { name: `twospf.${D}`, type: 'TXT', text: 'v=spf1 ~all' },
    { name: `passall.${D}`, type: 'TXT', text: 'v=spf1 +all' },
    { name: `deep.${D}`, type: 'TXT', text: `v=spf1 a mx include:l0.chain.${D} -all` },
    ...chain,
    { name: `broken.${D}`, type: 'TXT', text: `v=spf1 include:nothing.${D} -all` },
    { name: `_dmarc.reject.${D}`, type: 'TXT', text: 'v=DMARC1; p=reject; rua=mailto:d@example.org' },
    { name: `reject.${D}`, type: 'TXT', text: 'v=spf1 -all' },
    { name: `_dmarc.bad.${D}`, type: 'TXT', text: 'v=DMARC1; rua=mailto:d@example.org' },
    { name: `sub.reject.${D}`, type: 'A', address: '127.0.0.1' },
    { name: `_submission._tcp.other.${D}`, type: 'SRV', priority: 0, weight: 1, port: 587, target: `mail.other.${D}` },
    { name: `_submissions._tcp.none.${D}`, type: 'SRV', priority: 0, weight: 0, port: 0, target: '.' },
  ]);
});
afterAll(async () => {
  await sb.close();
});

function fromDomain(domain: string, over: Partial<Profile> = {}): Profile {
  return sandboxProfile(sb, sb.smtp.ssl, 'ssl', { name: domain, from: { address: `app@${domain}` }, ...over });
}

async function run(profiles: Profile[], only: string[]) {
  return runChecks(profiles, sandboxRun(sb, { only }));
}

describe('dns.host', () => {
  test('an IP literal passes, a name resolves through --resolver, an unknown name fails', async () => {
    const ip = sandboxProfile(sb, sb.smtp.ssl, 'ssl', { name: 'ip' });
    const named = sandboxProfile(sb, sb.smtp.ssl, 'ssl', { name: 'named', host: `smtp.${sb.domain}` });
    const missing = sandboxProfile(sb, sb.smtp.ssl, 'ssl', { name: 'missing', host: `nope.${sb.domain}` });
    const r = await run([ip, named, missing], ['host']);
    expect(byId(r, 'ip')['dns.host']).toMatchObject({ status: 'pass', details: { via: 'literal', addresses: ['127.0.0.1'] } });
    expect(byId(r, 'named')['dns.host']).toMatchObject({ status: 'pass', details: { via: 'resolver' } });
    expect(byId(r, 'named')['dns.host']!.details!.addresses).toEqual(expect.arrayContaining(['127.0.0.1', '::1']));
    expect(byId(r, 'missing')['dns.host']).toMatchObject({ status: 'fail', details: { reason: 'nxdomain' } });
  });

  test('a failed host lookup skips the SMTP checks', async () => {
    const missing = sandboxProfile(sb, sb.smtp.ssl, 'ssl', { name: 'missing', host: `nope.${sb.domain}` });
    const r = byId(await run([missing], ['connect']));
    expect(r['smtp.connect']).toMatchObject({ status: 'skip', details: { reason: 'prerequisite' } });
  });
});

describe('dns.mx', () => {
  test('MX present passes; RFC 7505 null MX fails; no MX warns; NXDOMAIN fails', async () => {
    const r = await run([fromDomain(D), fromDomain(`nullmx.${D}`), fromDomain(`nomx.${D}`), fromDomain(`ghost.${D}`)], ['mx']);
    expect(byId(r, D)['dns.mx']).toMatchObject({ status: 'pass', details: { reason: 'ok' } });
    expect(byId(r, `nullmx.${D}`)['dns.mx']).toMatchObject({ status: 'fail', details: { reason: 'null-mx' } });
    expect(byId(r, `nomx.${D}`)['dns.mx']).toMatchObject({ status: 'warn', details: { reason: 'no-mx' } });
    expect(byId(r, `ghost.${D}`)['dns.mx']).toMatchObject({ status: 'fail', details: { reason: 'nxdomain' } });
  });
});

describe('dns.spf', () => {
  test('present passes; missing, several records, broken include, too many lookups fail; +all warns', async () => {
    const r = await run(
      [D, `nomx.${D}`, `twospf.${D}`, `broken.${D}`, `deep.${D}`, `passall.${D}`].map((d) => fromDomain(d)),
      ['spf'],
    );
    expect(byId(r, D)['dns.spf']).toMatchObject({ status: 'pass', details: { reason: 'ok', lookups: 0 } });
    expect(reasonOf(byId(r, `nomx.${D}`)['dns.spf'])).toBe('missing');
    expect(byId(r, `nomx.${D}`)['dns.spf']!.status).toBe('fail');
    expect(reasonOf(byId(r, `twospf.${D}`)['dns.spf'])).toBe('multiple');
    expect(reasonOf(byId(r, `broken.${D}`)['dns.spf'])).toBe('permerror');
    expect(byId(r, `deep.${D}`)['dns.spf']).toMatchObject({ status: 'fail', details: { reason: 'too-many-lookups', lookups: 13 } });
    expect(byId(r, `passall.${D}`)['dns.spf']).toMatchObject({ status: 'warn', details: { reason: 'pass-all' } });
  });

  test("the preset's include must be authorised", async () => {
    const gmailOk = fromDomain(`gsuite.${D}`, { preset: 'gmail' });
    const gmailMissing = fromDomain(D, { name: 'missing', preset: 'gmail' });
    const r = await run([gmailOk, gmailMissing], ['spf']);
    expect(byId(r, `gsuite.${D}`)['dns.spf']).toMatchObject({ status: 'pass', details: { reason: 'ok-include', includes: ['_spf.google.com'] } });
    expect(byId(r, 'missing')['dns.spf']).toMatchObject({ status: 'fail', details: { reason: 'include-missing' } });
    expect(byId(r, 'missing')['dns.spf']!.hint).toContain('include:_spf.google.com');
  });

  test('more than 2 void lookups fail (RFC 7208 §4.6.4); the include tree is reported', async () => {
    sb.addRecords([
      { name: `voids.${D}`, type: 'TXT', text: `v=spf1 a:gone1.${D} mx:gone2.${D} include:spf.gone3.${D} ip4:192.0.2.1 -all` },
      { name: `twovoids.${D}`, type: 'TXT', text: `v=spf1 a:gone1.${D} mx:gone2.${D} include:inc.twovoids.${D} -all` },
      { name: `inc.twovoids.${D}`, type: 'TXT', text: 'v=spf1 ip4:192.0.2.2 -all' },
    ]);
    const r = await run([fromDomain(`voids.${D}`), fromDomain(`twovoids.${D}`)], ['spf']);
    expect(byId(r, `voids.${D}`)['dns.spf']).toMatchObject({ status: 'fail', details: { reason: 'too-many-voids', voids: 3 } });
    const two = byId(r, `twovoids.${D}`)['dns.spf']!;
    expect(two).toMatchObject({ status: 'pass', details: { voids: 2 } });
    expect(two.details!.tree).toEqual({
      domain: `twovoids.${D}`,
      record: `v=spf1 a:gone1.${D} mx:gone2.${D} include:inc.twovoids.${D} -all`,
      includes: [{ domain: `inc.twovoids.${D}`, record: 'v=spf1 ip4:192.0.2.2 -all', includes: [] }],
    });
  });

  test('walkSpf counts include, a, mx, ptr, exists and redirect (RFC 7208 §4.6.4)', async () => {
    sb.addRecords([{ name: `count.${D}`, type: 'TXT', text: 'v=spf1 a mx ptr exists:%{i}.x.example ip4:10.0.0.0/8 redirect=_spf.google.com' }]);
    const w = await walkSpf(`count.${D}`, resolverDns(`${sb.dns.host}:${sb.dns.port}`, 2000));
    expect(w.lookups).toBe(5);
    expect(w.includes).toEqual(['_spf.google.com']);
  });
});

describe('dns.dmarc', () => {
  test('p=none and p=reject pass with the policy; inherited from the organisational domain; missing warns; no p= fails', async () => {
    // organisational domains come from the Public Suffix List: acme.co.uk for mail.acme.co.uk
    sb.addRecords([
      { name: 'mail.acme.co.uk', type: 'MX', priority: 10, exchange: 'mx.acme.co.uk' },
      { name: '_dmarc.acme.co.uk', type: 'TXT', text: 'v=DMARC1; p=reject; sp=quarantine' },
      // the name exists without TXT (NODATA), as it would in a real zone
      { name: '_dmarc.mail.acme.co.uk', type: 'A', address: '127.0.0.1' },
    ]);
    const r = await run([D, `reject.${D}`, `sub.reject.${D}`, 'mail.acme.co.uk', `bad.${D}`].map((d) => fromDomain(d)), ['dmarc']);
    expect(byId(r, D)['dns.dmarc']).toMatchObject({ status: 'pass', details: { reason: 'ok-none', policy: 'none' } });
    expect(byId(r, `reject.${D}`)['dns.dmarc']).toMatchObject({ status: 'pass', details: { reason: 'ok', policy: 'reject' } });
    // a subdomain inherits the organisational domain's sp= (RFC 7489 §6.6.3)
    expect(byId(r, 'mail.acme.co.uk')['dns.dmarc']).toMatchObject({ status: 'pass', details: { policy: 'quarantine', at: 'acme.co.uk' } });
    // reject.<D> is not an organisational domain (the PSL makes mailcheck.test one): no fallback to it
    expect(byId(r, `sub.reject.${D}`)['dns.dmarc']).toMatchObject({ status: 'warn', details: { reason: 'missing' } });
    expect(byId(r, `bad.${D}`)['dns.dmarc']).toMatchObject({ status: 'fail', details: { reason: 'invalid' } });
  });

  test('a domain without any DMARC up the tree warns', async () => {
    sb.addRecords([{ name: 'lonely.example', type: 'A', address: '127.0.0.1' }, { name: '_dmarc.lonely.example', type: 'A', address: '127.0.0.1' }, { name: '_dmarc.example', type: 'A', address: '127.0.0.1' }]);
    const r = byId(await run([fromDomain('lonely.example')], ['dmarc']));
    expect(r['dns.dmarc']).toMatchObject({ status: 'warn', details: { reason: 'missing' } });
  });
});

describe('dns.srv', () => {
  test('matching SRV passes, different SRV warns, no SRV passes, target "." warns', async () => {
    const starttls = sandboxProfile(sb, sb.smtp.starttls, 'starttls', { name: 'match' });
    const r = await run([starttls, fromDomain(`other.${D}`), fromDomain(`nomx.${D}`), fromDomain(`none.${D}`)], ['srv']);
    expect(byId(r, 'match')['dns.srv']).toMatchObject({ status: 'pass', details: { reason: 'match' } });
    expect(byId(r, `other.${D}`)['dns.srv']).toMatchObject({ status: 'warn', details: { reason: 'differs' } });
    expect(byId(r, `nomx.${D}`)['dns.srv']).toMatchObject({ status: 'pass', details: { reason: 'none' } });
    expect(byId(r, `none.${D}`)['dns.srv']).toMatchObject({ status: 'warn', details: { reason: 'not-offered' } });
  });
});
