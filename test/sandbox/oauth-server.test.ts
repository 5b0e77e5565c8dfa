// The sandbox's OAuth2 authorization server in-process: oidc-provider on the sandbox certificate,
// device codes approved automatically (autoApprove), and the sandbox SMTP's verifyBearer accepting
// exactly the access tokens it issued for that user with the smtp scope.
import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.ts';
import { startOAuthServer, type SandboxOAuthServer } from '../../src/sandbox/oauth-server.ts';

const USER = 'sandbox@sandbox.mailcheck.test';
let sb: Sandbox;
let as: SandboxOAuthServer;

function post(url: string, form: Record<string, string>): Promise<Record<string, string>> {
  return new Promise((done, fail) => {
    const r = request(url, { method: 'POST', ca: sb.caPem, headers: { 'content-type': 'application/x-www-form-urlencoded' } }, (m) => {
      let b = '';
      m.on('data', (c: Buffer) => (b += c.toString()));
      m.on('end', () => done(JSON.parse(b) as Record<string, string>));
    });
    r.setTimeout(10_000, () => r.destroy(new Error('timeout')));
    r.on('error', fail);
    r.end(new URLSearchParams(form).toString());
  });
}

beforeAll(async () => {
  sb = await startSandbox({ verifyBearer: (t, u) => as.verifyBearer(t, u) });
  as = await startOAuthServer({ host: sb.host, tls: sb.serverTls, caPem: sb.caPem, approveAs: USER, autoApprove: true });
});
afterAll(async () => {
  await as?.close();
  await sb?.close();
});

describe('sandbox OAuth2 server', () => {
  it('approves a device code by itself; its access token passes verifyBearer for that user only', async () => {
    const d = await post(as.deviceAuthorizationUrl, { client_id: as.clientId, scope: as.scopes.join(' ') });
    expect(d.verification_uri_complete).toMatch(/^https:\/\/localhost:\d+\/device\?user_code=/);
    let token: Record<string, string> = {};
    for (let i = 0; i < 40; i++) {
      token = await post(as.tokenUrl, { client_id: as.clientId, grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: d.device_code! });
      if (token.access_token || token.error !== 'authorization_pending') break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(token.error).toBeUndefined();
    expect(token.refresh_token).toBeTruthy();
    expect(await as.verifyBearer(token.access_token!, USER)).toBe(true);
    expect(await as.verifyBearer(token.access_token!, 'other@sandbox.mailcheck.test')).toBe(false);
    expect(await as.verifyBearer('not-a-token', USER)).toBe(false);
  });

  it('an approval that fails is reported (here: it does not trust the server), and the code stays pending', async () => {
    const reasons: string[] = [];
    const other = await startOAuthServer({
      host: sb.host,
      tls: sb.serverTls,
      caPem: '-----BEGIN CERTIFICATE-----\nnot this one\n-----END CERTIFICATE-----\n',
      approveAs: USER,
      autoApprove: true,
      onApprovalError: (r) => reasons.push(r),
    });
    try {
      const d = await post(other.deviceAuthorizationUrl, { client_id: other.clientId, scope: other.scopes.join(' ') });
      for (let i = 0; i < 40 && reasons.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
      expect(reasons).toHaveLength(1);
      const token = await post(other.tokenUrl, { client_id: other.clientId, grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: d.device_code! });
      expect(token.error).toBe('authorization_pending');
    } finally {
      await other.close();
    }
  });
});
