import { createServer, type Server } from 'node:https';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runChecks } from '../../src/checks/run.ts';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.ts';
import { generateCerts } from '../../src/sandbox/certs.ts';
import type { Profile } from '../../src/types.ts';
import { byId, sandboxRun } from './helpers.ts';

let sb: Sandbox;
let server: Server;
let expiredServer: Server;
let port = 0;
let expiredPort = 0;
let caPath = '';

beforeAll(async () => {
  sb = await startSandbox();
  caPath = sb.caPath;
  // a separate CA: the http endpoint's own certificate, generated now
  const certs = await generateCerts({ domain: 'api.mailcheck.test' });
  const { writeFileSync, mkdtempSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'mailcheck-http-'));
  caPath = join(dir, 'ca.pem');
  writeFileSync(caPath, certs.caPem);
  server = createServer(certs.get('server'), (req, res) => {
    res.statusCode = req.url === '/down' ? 503 : 405;
    res.end();
  });
  expiredServer = createServer(certs.get('expired'), (_req, res) => res.end());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  await new Promise<void>((r) => expiredServer.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
  expiredPort = (expiredServer.address() as AddressInfo).port;
});
afterAll(async () => {
  await sb.close();
  server.closeAllConnections();
  expiredServer.closeAllConnections();
  await new Promise((r) => server.close(r));
  await new Promise((r) => expiredServer.close(r));
});

function httpProfile(name: string, url: string, tls: Profile['tls'] = { ca: caPath }): Profile {
  return { name, transport: 'http', http: { url }, from: { address: `app@${sb.domain}` }, bcc: [], tls };
}

describe('http.endpoint', () => {
  test('answers over verified TLS (any status below 500); only http and dns checks apply', async () => {
    const r = byId(await runChecks([httpProfile('ok', `https://localhost:${port}/send`)], sandboxRun(sb)));
    expect(r['http.endpoint']).toMatchObject({ status: 'pass', details: { reason: 'ok', status: 405, chainTrusted: true, nameMatches: true } });
    expect(Object.keys(r).sort()).toEqual(['dns.bimi', 'dns.dkim', 'dns.dmarc', 'dns.mta-sts', 'dns.mx', 'dns.spf', 'dns.tls-rpt', 'http.endpoint']);
  });

  test('an untrusted certificate, a name mismatch, an expired certificate fail', async () => {
    const r = await runChecks(
      [
        httpProfile('untrusted', `https://localhost:${port}/send`, {}),
        httpProfile('expired', `https://localhost:${expiredPort}/send`),
        httpProfile('lenient', `https://localhost:${port}/send`, { verify: false }),
        httpProfile('wrong-name', `https://localhost:${port}/send`, { ca: caPath, servername: 'mail.other.example' }),
      ],
      sandboxRun(sb, { only: ['http'] }),
    );
    expect(byId(r, 'untrusted')['http.endpoint']).toMatchObject({ status: 'fail', details: { reason: 'untrusted' } });
    expect(byId(r, 'expired')['http.endpoint']).toMatchObject({ status: 'fail', details: { reason: 'expired' } });
    expect(byId(r, 'lenient')['http.endpoint']).toMatchObject({ status: 'warn', details: { reason: 'untrusted' } });
    expect(byId(r, 'wrong-name')['http.endpoint']).toMatchObject({ status: 'fail', details: { reason: 'wrong-name', nameMatches: false } });
  });

  test('http://, a 5xx answer and a refused port fail', async () => {
    const plain = createHttpServer((_q, s) => s.end());
    await new Promise<void>((res) => plain.listen(0, '127.0.0.1', res));
    const plainPort = (plain.address() as AddressInfo).port;
    await new Promise((res) => plain.close(res));
    const r = await runChecks(
      [
        httpProfile('cleartext', `http://127.0.0.1:${port}/send`),
        httpProfile('down', `https://localhost:${port}/down`),
        httpProfile('refused', `https://localhost:${plainPort}/send`),
      ],
      sandboxRun(sb, { only: ['http'] }),
    );
    expect(byId(r, 'cleartext')['http.endpoint']).toMatchObject({ status: 'fail', details: { reason: 'not-https' } });
    expect(byId(r, 'down')['http.endpoint']).toMatchObject({ status: 'fail', details: { reason: 'server-error', status: 503 } });
    expect(byId(r, 'refused')['http.endpoint']).toMatchObject({ status: 'fail', details: { reason: 'refused' } });
  });
});
