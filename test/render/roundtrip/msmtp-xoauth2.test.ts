// msmtp sends through the in-process sandbox with XOAUTH2, configured by the rendered msmtprc:
// `auth xoauth2` + `passwordeval` reading the access token file. The sandbox's verifyBearer
// accepts exactly one token for one user, so a wrong token or mechanism fails the send.
import { spawn } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Secret } from '../../../src/config/secret.ts';
import { render } from '../../../src/render.ts';
import { startSandbox, type Sandbox } from '../../../src/sandbox/index.ts';
import type { Profile } from '../../../src/types.ts';
import { folder, INSTALL, requireTool } from './tools.ts';

const USER = 'sandbox@sandbox.mailcheck.test';
const TOKEN = 'at-9d1c7e5a3b2f4e6d8c0a1b3c5d7e9f10';
let sb: Sandbox;
const offered: string[] = [];

beforeAll(async () => {
  sb = await startSandbox({
    verifyBearer: async (token, username) => {
      offered.push(token);
      return token === TOKEN && username === USER;
    },
  });
});
afterAll(async () => sb?.close());

function msmtp(args: string[], input: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn('msmtp', args, { env: { PATH: '/usr/sbin:/usr/bin:/bin', LANG: 'C.UTF-8' }, stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', (e) => fail(new Error(`msmtp could not run (${e.message}): ${INSTALL}`)));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stderr });
    });
    child.stdin.end(input);
  });
}

/** The sandbox's implicit-TLS listener, XOAUTH2 with the access token read from `tokenFile`. */
function oauthProfile(tokenFile: string): Profile {
  return {
    name: 'oauth',
    transport: 'smtp',
    host: sb.smtp.ssl.host,
    port: sb.smtp.ssl.port,
    encryption: 'ssl',
    tls: { ca: sb.caPath },
    bcc: [],
    from: { address: USER },
    auth: { method: 'xoauth2', user: USER, clientId: 'cid', accessToken: new Secret({ kind: 'file', path: tokenFile }) },
  };
}

describe('msmtp logs in with XOAUTH2 as rendered (round trip through the sandbox)', () => {
  it.each([['with', '\n'], ['without', '']])('auth xoauth2 + passwordeval of the token file (%s a newline): the sandbox accepts the token and the message', async (_w, nl) => {
    requireTool('msmtp', 'msmtp', ['--version']);
    const dir = folder({ 'access-token': `${TOKEN}${nl}` });
    chmodSync(join(dir, 'access-token'), 0o600);
    const profile = oauthProfile(join(dir, 'access-token'));
    const out = render(profile, 'msmtp', { secrets: 'ref' });
    expect(out.warnings.map((w) => w.messageId)).not.toContain('xoauth2-unsupported');
    const rc = join(dir, 'msmtprc');
    writeFileSync(rc, out.files[0]!.content, { mode: 0o600 });
    const before = sb.messages.length;
    const r = await msmtp(['-C', rc, '-a', 'oauth', 'rcpt@example.org'], `From: ${USER}\r\nTo: rcpt@example.org\r\nSubject: xoauth2\r\n\r\nhello\r\n`);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(offered).toContain(TOKEN);
    const got = sb.messages.slice(before);
    expect(got).toHaveLength(1);
    expect(got[0]!.authMethod).toBe('xoauth2');
    expect(got[0]!.authUser).toBe(USER);
  });

  it('a token the sandbox does not accept: msmtp fails, nothing is delivered', async () => {
    const dir = folder({ 'access-token': 'at-wrong\n' });
    const profile = oauthProfile(join(dir, 'access-token'));
    const rc = join(dir, 'msmtprc');
    writeFileSync(rc, render(profile, 'msmtp', { secrets: 'ref' }).files[0]!.content, { mode: 0o600 });
    const before = sb.messages.length;
    const r = await msmtp(['-C', rc, '-a', 'oauth', 'rcpt@example.org'], `From: ${USER}\r\nSubject: x\r\n\r\nx\r\n`);
    expect(r.code).not.toBe(0);
    expect(sb.messages.length).toBe(before);
  });
});
