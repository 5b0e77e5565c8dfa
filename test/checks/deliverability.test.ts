import { createHash, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runChecks } from '../../src/checks/run.ts';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.ts';
import type { Profile } from '../../src/types.ts';
import { byId, sandboxProfile, sandboxRun } from './helpers.ts';

let sb: Sandbox;
let D: string;
beforeAll(async () => {
  sb = await startSandbox();
  D = sb.domain;
});
afterAll(async () => {
  await sb.close();
});

const rsaKey = (bits: number) => generateKeyPairSync('rsa', { modulusLength: bits }).publicKey.export({ type: 'spki', format: 'der' }).toString('base64');

/** A profile of the sandbox whose From is at `domain`, with DKIM selectors. */
function from(domain: string, over: Partial<Profile> = {}): Profile {
  return sandboxProfile(sb, sb.smtp.starttls, 'starttls', { name: domain, from: { address: `app@${domain}` }, tls: { ca: sb.caPath, servername: `smtp.${D}` }, dkim: { selectors: ['sandbox'] }, ...over });
}

async function run(profiles: Profile[], only: string[]) {
  return runChecks(profiles, sandboxRun(sb, { only }));
}

describe('against the sandbox, every deliverability check passes', () => {
  test('dkim, alignment, mta-sts, tls-rpt, bimi, ptr and dane', async () => {
    const r = byId(await run([from(D)], ['deliverability', 'ptr', 'dane']));
    for (const id of ['dns.dkim', 'dns.alignment', 'dns.mta-sts', 'dns.tls-rpt', 'dns.bimi', 'dns.ptr', 'tls.dane']) {
      expect(r[id], `${id}: ${r[id]?.message}`).toMatchObject({ status: 'pass' });
    }
    expect(r['dns.dkim']!.details).toMatchObject({ selectors: [{ selector: 'sandbox', bits: 2048, status: 'ok' }] });
    expect(r['dns.alignment']!.details).toMatchObject({ spf: { passes: true, aligns: true }, dkim: { passes: true, aligns: true } });
    expect(r['tls.dane']!.details).toMatchObject({ dnssec: false, records: [{ record: '3 1 1', verdict: 'match' }] });
  });
});

describe('dns.dkim', () => {
  test('a weak key warns; a key under 1024 bits, a revoked key, a missing selector and a CNAME to nowhere fail', async () => {
    sb.addRecords([
      { name: `weak._domainkey.${D}`, type: 'TXT', text: `v=DKIM1; p=${rsaKey(1024)}` },
      { name: `tiny._domainkey.${D}`, type: 'TXT', text: `v=DKIM1; p=${rsaKey(512)}` },
      { name: `gone._domainkey.${D}`, type: 'TXT', text: 'v=DKIM1; p=' },
      { name: `cname._domainkey.${D}`, type: 'CNAME', target: `cname.dkim.nowhere.${D}` },
    ]);
    const cases = { weak: ['warn', 'weak'], tiny: ['fail', 'too-weak'], gone: ['fail', 'revoked'], missing: ['fail', 'missing'], cname: ['fail', 'missing'] } as const;
    const results = await run(Object.keys(cases).map((s) => from(D, { name: s, dkim: { selectors: [s] } })), ['dkim']);
    for (const [selector, [status, reason]] of Object.entries(cases)) {
      expect(byId(results, selector)['dns.dkim'], selector).toMatchObject({ status, details: { reason } });
    }
    expect(byId(results, 'cname')['dns.dkim']!.message).toContain(`cname.dkim.nowhere.${D}`);
  });

  test('without selectors it is skipped and says how to name them', async () => {
    const r = byId(await run([from(D, { dkim: undefined })], ['dkim']));
    expect(r['dns.dkim']).toMatchObject({ status: 'skip', details: { reason: 'no-selectors' } });
  });
});

describe('dns.mta-sts', () => {
  test('a policy that does not cover the MX, a 404, HTML and a bad record fail; no record warns', async () => {
    const cover = `cover.${D}`;
    sb.addRecords([
      { name: cover, type: 'MX', priority: 10, exchange: `mx.elsewhere.${D}` },
      { name: `_mta-sts.${cover}`, type: 'TXT', text: 'v=STSv1; id=1' },
      { name: `mta-sts.${cover}`, type: 'A', address: '127.0.0.1' },
      { name: `bad.${D}`, type: 'MX', priority: 10, exchange: `smtp.${D}` },
      { name: `_mta-sts.bad.${D}`, type: 'TXT', text: 'v=STSv1; id=has-dashes' },
      { name: `none.${D}`, type: 'MX', priority: 10, exchange: `smtp.${D}` },
    ]);
    // the sandbox's certificate names only mta-sts.<sandbox domain>: a policy host of another
    // domain fails TLS verification, which is itself a failure the check must report
    const r1 = await run([from(cover), from(`bad.${D}`), from(`none.${D}`)], ['mta-sts']);
    expect(byId(r1, cover)['dns.mta-sts']).toMatchObject({ status: 'fail', details: { reason: 'fetch' } });
    expect(byId(r1, `bad.${D}`)['dns.mta-sts']).toMatchObject({ status: 'fail', details: { reason: 'bad-record' } });
    expect(byId(r1, `none.${D}`)['dns.mta-sts']).toMatchObject({ status: 'warn', details: { reason: 'none' } });

    const policy = sb.mtaSts.policy;
    try {
      sb.mtaSts.policy = 'version: STSv1\r\nmode: enforce\r\nmx: mx.other.example\r\nmax_age: 86400\r\n';
      expect(byId(await run([from(D)], ['mta-sts']))['dns.mta-sts']).toMatchObject({ status: 'fail', details: { reason: 'uncovered' } });
      sb.mtaSts.respond = { status: 404, body: 'not here' };
      expect(byId(await run([from(D)], ['mta-sts']))['dns.mta-sts']).toMatchObject({ status: 'fail', details: { reason: 'fetch' } });
      sb.mtaSts.respond = { status: 200, body: '<html><body>hello</body></html>', contentType: 'text/html' };
      expect(byId(await run([from(D)], ['mta-sts']))['dns.mta-sts']).toMatchObject({ status: 'fail', details: { reason: 'bad-policy' } });
      sb.mtaSts.respond = { status: 301, body: '' };
      expect(byId(await run([from(D)], ['mta-sts']))['dns.mta-sts']).toMatchObject({ status: 'fail', details: { reason: 'fetch' } });
    } finally {
      sb.mtaSts.policy = policy;
      delete sb.mtaSts.respond;
    }
  });
});

describe('dns.tls-rpt and dns.bimi', () => {
  test('a malformed TLS-RPT record fails; a missing one warns; a broken BIMI record warns', async () => {
    sb.addRecords([
      { name: `rpt.${D}`, type: 'MX', priority: 10, exchange: `smtp.${D}` },
      { name: `_smtp._tls.rpt.${D}`, type: 'TXT', text: 'v=TLSRPTv1; rua=http://insecure.example/' },
      { name: `default._bimi.rpt.${D}`, type: 'TXT', text: 'v=BIMI1; l=logo.png' },
      { name: `norpt.${D}`, type: 'MX', priority: 10, exchange: `smtp.${D}` },
    ]);
    const r = await run([from(`rpt.${D}`), from(`norpt.${D}`)], ['tls-rpt', 'bimi']);
    expect(byId(r, `rpt.${D}`)['dns.tls-rpt']).toMatchObject({ status: 'fail', details: { reason: 'invalid' } });
    expect(byId(r, `norpt.${D}`)['dns.tls-rpt']).toMatchObject({ status: 'warn', details: { reason: 'none' } });
    expect(byId(r, `rpt.${D}`)['dns.bimi']).toMatchObject({ status: 'warn', details: { reason: 'invalid' } });
    expect(byId(r, `norpt.${D}`)['dns.bimi']).toMatchObject({ status: 'pass', details: { reason: 'none' } });
  });
});

describe('tls.dane', () => {
  test('a record for another certificate fails; PKIX usages are unusable for SMTP; no records skip', async () => {
    const caSpki = createHash('sha256').update(new X509Certificate(sb.caPem).publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
    const port = sb.smtp.starttls.port;
    // both names are in the sandbox certificate, so the handshake passes and DANE decides
    sb.addRecords([
      { name: `_${port}._tcp.${D}`, type: 'TLSA', usage: 3, selector: 1, matchingType: 1, data: caSpki },
      { name: `_${port}._tcp.localhost`, type: 'TLSA', usage: 1, selector: 1, matchingType: 1, data: caSpki },
    ]);
    const p = (name: string, servername: string) => from(D, { name, tls: { ca: sb.caPath, servername } });
    const r = await run([p('other', D), p('pkix', 'localhost'), p('ok', `smtp.${D}`), p('address', '127.0.0.1')], ['dane']);
    expect(byId(r, 'other')['tls.dane']).toMatchObject({ status: 'fail', details: { reason: 'no-match' } });
    expect(byId(r, 'pkix')['tls.dane']).toMatchObject({ status: 'fail', details: { reason: 'unusable' } });
    expect(byId(r, 'ok')['tls.dane']).toMatchObject({ status: 'pass' });
    expect(byId(r, 'address')['tls.dane']).toMatchObject({ status: 'skip', details: { reason: 'address' } });
  });
});

describe('dns.ptr', () => {
  test('a PTR whose name does not resolve back fails', async () => {
    sb.addRecords([
      { name: `ptr-host.${D}`, type: 'A', address: '127.0.0.9' },
      { name: '9.0.0.127.in-addr.arpa', type: 'PTR', target: `elsewhere.${D}` },
      { name: `elsewhere.${D}`, type: 'A', address: '127.0.0.10' },
      { name: `noptr-host.${D}`, type: 'A', address: '127.0.0.11' },
      // the reverse name exists without a PTR (NODATA), as a real zone would answer
      { name: '11.0.0.127.in-addr.arpa', type: 'TXT', text: 'no ptr here' },
    ]);
    const r = await run([from(D, { name: 'unconfirmed', host: `ptr-host.${D}` }), from(D, { name: 'none', host: `noptr-host.${D}` }), from(D, { name: 'ok' })], ['ptr']);
    expect(byId(r, 'unconfirmed')['dns.ptr']).toMatchObject({ status: 'fail', details: { reason: 'unconfirmed' } });
    expect(byId(r, 'none')['dns.ptr']).toMatchObject({ status: 'fail', details: { reason: 'no-ptr' } });
    expect(byId(r, 'ok')['dns.ptr']).toMatchObject({ status: 'pass' });
  });
});

describe('dns.alignment', () => {
  test('SPF not authorising the relay and no DKIM: warn under p=none, fail under p=reject, sp= for a subdomain', async () => {
    const strict = `strict.${D}`;
    sb.addRecords([
      { name: strict, type: 'MX', priority: 10, exchange: `smtp.${D}` },
      { name: strict, type: 'TXT', text: 'v=spf1 ip4:192.0.2.1 -all' },
      { name: `_dmarc.${strict}`, type: 'TXT', text: 'v=DMARC1; p=reject' },
      { name: `loose.${D}`, type: 'MX', priority: 10, exchange: `smtp.${D}` },
      { name: `loose.${D}`, type: 'TXT', text: 'v=spf1 -all' },
      { name: `_dmarc.loose.${D}`, type: 'TXT', text: 'v=DMARC1; p=none' },
      // a From in a subdomain of a PSL-registered organisational domain uses its sp=
      { name: 'news.acme.co.uk', type: 'MX', priority: 10, exchange: `smtp.${D}` },
      { name: 'news.acme.co.uk', type: 'TXT', text: 'v=spf1 -all' },
      { name: '_dmarc.news.acme.co.uk', type: 'A', address: '127.0.0.1' },
      { name: '_dmarc.acme.co.uk', type: 'TXT', text: 'v=DMARC1; p=none; sp=quarantine' },
    ]);
    const noDkim = { dkim: undefined };
    const r = await run([from(strict, noDkim), from(`loose.${D}`, noDkim), from('news.acme.co.uk', noDkim)], ['alignment']);
    const s = byId(r, strict)['dns.alignment']!;
    expect(s).toMatchObject({ status: 'fail', details: { reason: 'fails', dmarc: { policy: 'reject', tag: 'p' }, spf: { passes: false } } });
    expect(s.hint).toContain('v=spf1 ip4:');
    expect(byId(r, `loose.${D}`)['dns.alignment']).toMatchObject({ status: 'warn', details: { reason: 'fails-none' } });
    expect(byId(r, 'news.acme.co.uk')['dns.alignment']).toMatchObject({ status: 'fail', details: { dmarc: { policy: 'quarantine', tag: 'sp', at: 'acme.co.uk' } } });
  });
});

describe('one root cause, one failure', () => {
  test('a From domain that does not exist fails dns.mx and skips the checks that read its records', async () => {
    const r = byId(await run([from(`missing.${D}`)], ['dns', 'deliverability']));
    expect(r['dns.mx']).toMatchObject({ status: 'fail', details: { reason: 'nxdomain' } });
    for (const id of ['dns.dkim', 'dns.alignment', 'dns.mta-sts', 'dns.tls-rpt', 'dns.bimi']) expect(r[id], id).toMatchObject({ status: 'skip', details: { reason: 'domain-missing' } });
    for (const id of ['dns.spf', 'dns.dmarc', 'dns.srv']) expect(r[id], id).toMatchObject({ status: 'skip', details: { reason: 'domain-missing' } });
    expect(Object.values(r).filter((x) => x.status === 'fail').map((x) => x.id)).toEqual(['dns.mx']);
  });
});
