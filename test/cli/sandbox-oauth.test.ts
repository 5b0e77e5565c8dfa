// `mailcheck sandbox --oauth --write mail.yaml` spawned from the bundled CLI: oidc-provider beside
// the SMTP listeners, its endpoints and public client id printed, the `oauth` profile written.
// (The login → check leg runs against the same server code in test/cli/oauth.test.ts's setup is
// left to a follow-up: automatic device approval is not working yet.)
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = resolve(import.meta.dirname, '..', '..', 'bin', 'mailcheck.cjs');
const dir = mkdtempSync(join(tmpdir(), 'mailcheck-sandbox-oauth-'));
let sandbox: ChildProcess | undefined;
let banner = '';

beforeAll(async () => {
  const child = spawn(process.execPath, [BIN, 'sandbox', '--oauth', '--write', 'mail.yaml'], { cwd: dir, env: { PATH: process.env.PATH, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  sandbox = child;
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  await new Promise<void>((ready, fail) => {
    const timer = setTimeout(() => fail(new Error(`sandbox --oauth did not start: ${stderr}`)), 50_000);
    child.stdout!.on('data', (c: Buffer) => {
      banner += c.toString();
      if (banner.includes('Waiting for mail')) {
        clearTimeout(timer);
        ready();
      }
    });
    child.on('close', (code) => fail(new Error(`sandbox exited ${code}: ${stderr}`)));
  });
}, 60_000);
afterAll(async () => {
  if (sandbox && sandbox.exitCode === null) {
    const closed = new Promise((r) => sandbox!.once('close', r));
    sandbox.kill('SIGTERM');
    await closed;
  }
});

describe('mailcheck sandbox --oauth: the offline walk-through', () => {
  it('prints the endpoints and the public client id, and writes the oauth profile', () => {
    expect(banner).toMatch(/token\s+https:\/\/localhost:\d+\/token/);
    expect(banner).toMatch(/client id\s+mailcheck-sandbox/);
    const yaml = readFileSync(join(dir, 'mail.yaml'), 'utf8');
    expect(yaml).toContain('method: xoauth2');
    expect(yaml).toContain('clientId: mailcheck-sandbox');
  });
});
