import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { parse as parseYaml } from 'yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runSandbox } from '../../src/cli/commands/sandbox.ts';
import { runCommand } from '../../src/cli/run.ts';
import type { CliIO } from '../../src/cli/io.ts';

function fakeIO(cwd: string): CliIO & { out: () => string; err: () => string; waitFor: (re: RegExp) => Promise<RegExpExecArray> } {
  let out = '';
  let err = '';
  const waiters: { re: RegExp; resolve: (m: RegExpExecArray) => void }[] = [];
  const check = (): void => {
    for (const w of [...waiters]) {
      const m = w.re.exec(out);
      if (m) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  };
  return {
    stdout: {
      write(s: string) {
        out += s;
        check();
        return true;
      },
    },
    stderr: {
      write(s: string) {
        err += s;
        return true;
      },
    },
    env: {},
    cwd,
    out: () => out,
    err: () => err,
    waitFor: (re) =>
      new Promise((resolve) => {
        waiters.push({ re, resolve });
        check();
      }),
  };
}

describe('mailcheck sandbox', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mailcheck-sandbox-cmd-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints endpoints, the password once, the mail.yaml, then each message until stopped', async () => {
    const io = fakeIO(dir);
    let stop = (): void => {};
    const stopped = new Promise<void>((r) => (stop = r));
    const run = runSandbox({}, io, () => stopped);
    const ready = await io.waitFor(/export SANDBOX_PASSWORD=(\S+)\n/);
    const password = (ready[1] ?? '').replace(/^'|'$/g, '');
    const ssl = /SMTP ssl\s+127\.0\.0\.1:(\d+)/.exec(io.out());
    expect(ssl).not.toBeNull();
    expect(io.out()).toMatch(/DNS\s+127\.0\.0\.1:\d+/);
    expect(io.out()).toMatch(/CA certificate\s+\S+ca\.pem/);
    expect(io.out()).toContain('password: ${SANDBOX_PASSWORD}');
    expect(io.out().split(password).length - 1).toBe(1);

    await nodemailer
      .createTransport({ host: '127.0.0.1', port: Number(ssl?.[1]), secure: true, tls: { rejectUnauthorized: false }, auth: { user: 'sandbox@sandbox.mailcheck.test', pass: password } })
      .sendMail({ from: 'a@sandbox.mailcheck.test', to: 'b@example.test', subject: 's', text: 't' });
    await io.waitFor(/\[ssl\] message from <a@sandbox\.mailcheck\.test> to <b@example\.test>/);
    stop();
    expect(await run).toBe(0);
    expect(io.out()).toMatch(/stopping: 1 message received/);
    expect(io.out().split(password).length - 1).toBe(1);
  });

  it('writes the mail.yaml with --write, and will not overwrite a file it did not write', async () => {
    const io = fakeIO(dir);
    expect(await runSandbox({ write: 'sandbox.mail.yaml' }, io, async () => {})).toBe(0);
    const doc = parseYaml(readFileSync(join(dir, 'sandbox.mail.yaml'), 'utf8')) as { version: number; profiles: Record<string, unknown> };
    expect(doc.version).toBe(1);
    expect(Object.keys(doc.profiles)).toEqual(['ssl', 'starttls', 'plain']);
    expect(io.out()).toContain('mail.yaml written to sandbox.mail.yaml');
    // its own file is overwritten on the next start
    expect(await runSandbox({ write: 'sandbox.mail.yaml' }, fakeIO(dir), async () => {})).toBe(0);

    writeFileSync(join(dir, 'mail.yaml'), 'version: 1\nprofiles: {}\n');
    await expect(runSandbox({ write: 'mail.yaml' }, fakeIO(dir), async () => {})).rejects.toMatchObject({ code: 'E_EXISTS' });
    expect(readFileSync(join(dir, 'mail.yaml'), 'utf8')).toBe('version: 1\nprofiles: {}\n');
  });

  it('takes a base port: ssl N, starttls N+1, plain N+2, dns N+3, MTA-STS N+4, and prints it in the check command', async () => {
    for (let attempt = 0; attempt < 5; attempt++) {
      const base = 20000 + Math.floor(Math.random() * 40000);
      const io = fakeIO(dir);
      try {
        await runSandbox({ port: base }, io, async () => {});
      } catch (err) {
        if ((err as { code?: string }).code === 'E_SANDBOX_PORT') continue;
        throw err;
      }
      expect(io.out()).toContain(`127.0.0.1:${base} `);
      expect(io.out()).toContain(`127.0.0.1:${base + 1} `);
      expect(io.out()).toContain(`127.0.0.1:${base + 2} `);
      expect(io.out()).toContain(`127.0.0.1:${base + 3} `);
      expect(io.out()).toContain(`127.0.0.1:${base + 4} `);
      expect(io.out()).toContain(`--resolver 127.0.0.1:${base + 3} --mta-sts-port ${base + 4}`);
      return;
    }
    throw new Error('no free port range found');
  });

  it('exits 2 on bad flags', async () => {
    const io = fakeIO(dir);
    expect(await runCommand(['sandbox', '--port', 'abc'], io)).toBe(2);
    expect(io.err()).toContain('--port');
    const io2 = fakeIO(dir);
    expect(await runCommand(['sandbox', '--host', '10.0.0.1'], io2)).toBe(2);
    expect(io2.err()).toContain('loopback');
  });
});
