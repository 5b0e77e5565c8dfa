import { X509Certificate, createPublicKey } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { connect, createServer } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { generateCerts } from '../../src/sandbox/certs.ts';

describe('sandbox certificates', () => {
  it('makes a CA and a server certificate that chains to it, with the sandbox names', async () => {
    const certs = await generateCerts({ domain: 'sandbox.mailcheck.test' });
    const ca = new X509Certificate(certs.caPem);
    const server = new X509Certificate(certs.get('server').cert);
    expect(ca.ca).toBe(true);
    expect(server.ca).toBe(false);
    expect(server.checkIssued(ca)).toBe(true);
    expect(server.verify(ca.publicKey)).toBe(true);
    expect(server.subjectAltName).toBe(
      'DNS:localhost, DNS:smtp.sandbox.mailcheck.test, DNS:mta-sts.sandbox.mailcheck.test, DNS:sandbox.mailcheck.test, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1',
    );
    expect(server.checkHost('smtp.sandbox.mailcheck.test')).toBe('smtp.sandbox.mailcheck.test');
    expect(server.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(server.checkIP('::1')).toBe('::1');
    for (const cert of [ca, server]) {
      expect(cert.publicKey.asymmetricKeyType).toBe('ec');
      expect(cert.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
      // AlgorithmIdentifier ecdsa-with-SHA256 (1.2.840.10045.4.3.2), no parameters
      expect(cert.raw.includes(Buffer.from('300a06082a8648ce3d040302', 'hex'))).toBe(true);
    }
    expect(ca.verify(ca.publicKey)).toBe(true);
    expect(new Date(server.validTo).getTime()).toBeGreaterThan(Date.now() + 300 * 86_400_000);
    expect(new Date(server.validFrom).getTime()).toBeLessThan(Date.now());
    expect(server.keyUsage).toContain('1.3.6.1.5.5.7.3.1'); // serverAuth
  });

  it('reuses the server key across variants, each with its flaw', async () => {
    const now = new Date('2026-06-01T12:00:00Z');
    const certs = await generateCerts({ domain: 'a.test', now });
    const ca = new X509Certificate(certs.caPem);
    const key = createPublicKey(certs.get('server').key).export({ format: 'pem', type: 'spki' });
    const of = (v: Parameters<typeof certs.get>[0]) => new X509Certificate(certs.get(v).cert);
    for (const v of ['wrong-name', 'expired', 'expiring', 'self-signed'] as const) {
      expect(of(v).publicKey.export({ format: 'pem', type: 'spki' })).toBe(key);
    }
    expect(of('wrong-name').subjectAltName).toBe('DNS:wrong.invalid');
    expect(of('wrong-name').checkIssued(ca)).toBe(true);
    expect(new Date(of('expired').validTo).getTime()).toBeLessThan(now.getTime());
    expect(of('expired').checkIssued(ca)).toBe(true);
    const days = (new Date(of('expiring').validTo).getTime() - now.getTime()) / 86_400_000;
    expect(Math.round(days)).toBe(10);
    expect(of('self-signed').checkIssued(ca)).toBe(false);
    expect(of('self-signed').verify(of('self-signed').publicKey)).toBe(true);
    expect(of('self-signed').issuer).toBe(of('self-signed').subject);
    expect(certs.get('server')).toBe(certs.get('server'));
  });

  it('is accepted by a TLS client trusting only the sandbox CA', async () => {
    const certs = await generateCerts({ domain: 'a.test' });
    const server = createServer(certs.get('server'), (s) => s.end());
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const { port } = server.address() as AddressInfo;
      const socket = connect({ host: '127.0.0.1', port, servername: 'smtp.a.test', ca: [certs.caPem] });
      await once(socket, 'secureConnect');
      expect(socket.authorized).toBe(true);
      expect(socket.getPeerX509Certificate()?.publicKey.asymmetricKeyType).toBe('ec');
      socket.destroy();
    } finally {
      server.close();
    }
  });

  it('makes a new CA at every start', async () => {
    const a = await generateCerts({ domain: 'a.test' });
    const b = await generateCerts({ domain: 'a.test' });
    expect(new X509Certificate(a.caPem).serialNumber).not.toBe(new X509Certificate(b.caPem).serialNumber);
  });
});
