// The sandbox authorization server keeps oidc-provider's production warnings off the console
// while it runs, passes every other line through, and gives the console back when the last
// server closes (servers may stop in any order).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.ts';
import { startOAuthServer } from '../../src/sandbox/oauth-server.ts';

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox();
});
afterAll(async () => {
  await sb?.close();
});

it('mutes oidc-provider lines only, only while a server runs', async () => {
  const seen: unknown[] = [];
  const spy = (...a: unknown[]): void => void seen.push(a[0]);
  const before = console.warn;
  console.warn = spy;
  try {
    const options = { host: sb.host, tls: sb.serverTls, caPem: sb.caPem, approveAs: sb.users[0]!.username };
    const a = await startOAuthServer(options);
    const b = await startOAuthServer(options);
    console.warn('oidc-provider WARNING: quick start development-only in-memory adapter');
    console.warn('a warning of our own');
    await a.close();
    console.warn('oidc-provider WARNING: still muted while b runs');
    await b.close();
    expect(console.warn).toBe(spy);
    console.warn('oidc-provider WARNING: after the last close, the console is the user’s again');
    expect(seen).toEqual(['a warning of our own', 'oidc-provider WARNING: after the last close, the console is the user’s again']);
  } finally {
    console.warn = before;
  }
});

it('gives the console back when the server cannot start (a key that is none, a port taken)', async () => {
  const spy = (): void => undefined;
  const before = console.warn;
  console.warn = spy;
  try {
    const options = { host: sb.host, tls: sb.serverTls, caPem: sb.caPem, approveAs: sb.users[0]!.username };
    const a = await startOAuthServer(options);
    const taken = Number(new URL(a.issuer).port);
    await expect(startOAuthServer({ ...options, port: taken })).rejects.toMatchObject({ code: 'EADDRINUSE' });
    await expect(startOAuthServer({ ...options, tls: { key: 'not a key', cert: 'not a certificate' } })).rejects.toThrow();
    await a.close();
    expect(console.warn).toBe(spy);
  } finally {
    console.warn = before;
  }
});
