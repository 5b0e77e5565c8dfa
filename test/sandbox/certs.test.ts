import { X509Certificate, createPublicKey } from 'node:crypto';
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
      'DNS:localhost, DNS:smtp.sandbox.mailcheck.test, DNS:sandbox.mailcheck.test, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1',
    );
    expect(server.checkHost('smtp.sandbox.mailcheck.test')).toBe('smtp.sandbox.mailcheck.test');
    expect(server.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(server.checkIP('::1')).toBe('::1');
    expect(server.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
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

  it('makes a new CA at every start', async () => {
    const a = await generateCerts({ domain: 'a.test' });
    const b = await generateCerts({ domain: 'a.test' });
    expect(new X509Certificate(a.caPem).serialNumber).not.toBe(new X509Certificate(b.caPem).serialNumber);
  });
});
