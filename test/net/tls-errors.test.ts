import { createServer, type Server } from 'node:net';
import { connect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runChecks } from '../../src/checks/run.ts';
import { describeTlsError } from '../../src/net/tls-errors.ts';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.ts';
import { byId, sandboxProfile, sandboxRun } from '../checks/helpers.ts';

let sb: Sandbox;
let http: Server;
beforeAll(async () => {
  sb = await startSandbox();
  // a peer that answers a ClientHello the way a web server does
  http = createServer((s) => s.once('data', () => s.end('HTTP/1.1 400 Bad Request\r\n\r\n')));
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
});
afterAll(async () => {
  await sb.close();
  await new Promise((r) => http.close(r));
});

/** The error a real TLS client gets from a peer on loopback. */
function handshakeError(port: number): Promise<NodeJS.ErrnoException> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port, rejectUnauthorized: false });
    s.on('error', (err) => resolve(err));
    s.on('secureConnect', () => resolve(Object.assign(new Error('handshake completed'), { code: 'NONE' })));
  });
}

describe('OpenSSL errors as clear messages', () => {
  it('a plain SMTP server (the sandbox) answering a TLS client: "plain text … starttls, not ssl"', async () => {
    const err = await handshakeError(sb.smtp.plain.port);
    expect(err.message).toMatch(/0A00010B|wrong version number/); // what Node gives: OpenSSL's own string
    const info = describeTlsError(err, 'implicit');
    expect(info).toMatchObject({ plainText: true, code: 'ERR_SSL_WRONG_VERSION_NUMBER' });
    expect(info.message).not.toMatch(/\.c:\d|error:[0-9A-F]{8}/);
    expect(info.message).toContain('starttls');
  });

  it('an HTTP server answering a TLS client is plain text too', async () => {
    const info = describeTlsError(await handshakeError((http.address() as { port: number }).port), 'implicit');
    expect(info.plainText).toBe(true);
  });

  it('an unknown OpenSSL string keeps only its reason', () => {
    const info = describeTlsError({ message: 'C0E7:error:0A000123:SSL routines:tls_foo:something odd:../ssl/statem/x.c:12:', code: 'ERR_SSL_SOMETHING_ODD' }, 'starttls');
    expect(info).toEqual({ message: 'the TLS handshake failed: something odd', plainText: false, code: 'ERR_SSL_SOMETHING_ODD' });
  });

  it('tls.handshake against the plain listener with encryption: ssl: plain-port, raw code only in details', async () => {
    const r = byId(await runChecks([sandboxProfile(sb, sb.smtp.plain, 'ssl', { name: 'wrong' })], sandboxRun(sb, { only: ['tls'] })), 'wrong');
    const t = r['tls.handshake']!;
    expect(t.status).toBe('fail');
    expect(t.message).not.toMatch(/\.c:\d|error:[0-9A-F]{8}|ssl3_/);
    expect(t.message).toContain('plain text');
    expect(t.hint).toContain('starttls');
    expect(JSON.stringify(t.details ?? {})).not.toMatch(/\.c:\d/);
  });
});
