import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deploy, type DeployOptions } from '../../src/deploy.ts';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.ts';
import { runCli } from '../helpers/cli.ts';

let sb: Sandbox;

beforeAll(async () => {
  sb = await startSandbox();
});
afterAll(async () => {
  await sb?.close();
});

const TARGETS = `targets:
  - { target: laravel, profile: starttls, out: out/mail.env }
  - { target: msmtp, profile: ssl, out: out/msmtprc, secrets: inline }
  - { target: postfix, profile: starttls, out: out/postfix/main.cf }
`;

/** A project folder: the sandbox's mail.yaml plus targets, and optional existing outputs. */
function project(existing: Record<string, { content: string; mode: number }> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'mailcheck-deploy-'));
  writeFileSync(join(dir, 'mail.yaml'), `${sb.mailYaml()}${TARGETS}`);
  for (const [rel, f] of Object.entries(existing)) {
    const path = join(dir, rel);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, f.content);
    chmodSync(path, f.mode);
  }
  return dir;
}

const OUTPUTS = ['out/mail.env', 'out/msmtprc', 'out/postfix/main.cf', 'out/postfix/sasl_passwd'];

/** Every file under out/ with its bytes and mode, temporaries included. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    const abs = join(dir, rel);
    if (!existsSync(abs)) return;
    for (const e of readdirSync(abs, { withFileTypes: true })) {
      const r = join(rel, e.name);
      if (e.isDirectory()) walk(r);
      else out[r] = `${(statSync(join(dir, r)).mode & 0o777).toString(8)} ${readFileSync(join(dir, r), 'utf8')}`;
    }
  };
  walk('out');
  return out;
}

function options(dir: string, extra: Partial<DeployOptions> = {}): DeployOptions {
  return {
    cwd: dir,
    env: sb.env(),
    resolver: `${sb.dns.host}:${sb.dns.port}`,
    caPem: sb.caPem,
    mtaStsPort: sb.mtaSts.endpoint.port,
    timeoutMs: 5000,
    deadlineMs: 20_000,
    ...extra,
  };
}

const EXISTING = {
  'out/mail.env': { content: 'MAIL_HOST=old.example\n', mode: 0o640 },
  'out/msmtprc': { content: '# old msmtprc\n', mode: 0o600 },
};

describe('deploy', () => {
  it('a failing check leaves existing outputs byte-identical and writes nothing new', async () => {
    const dir = project(EXISTING);
    const before = snapshot(dir);
    const r = await deploy('mail.yaml', options(dir, { env: { SANDBOX_PASSWORD: 'wrong-password' } }));
    expect(r.ok).toBe(false);
    expect(r.failedAt).toBe('check');
    expect(r.report.files[0]!.checks.find((c) => c.id === 'smtp.auth' && c.status === 'fail')).toBeDefined();
    expect(r.written).toBe(false);
    expect(snapshot(dir)).toEqual(before);
  });

  it('a check that could not run (no secret for the login) also stops it', async () => {
    const dir = project(EXISTING);
    const before = snapshot(dir);
    const r = await deploy('mail.yaml', options(dir, { env: {} }));
    expect(r.failedAt).toBe('check');
    expect(r.report.files[0]!.checks.find((c) => c.id === 'smtp.auth')?.status).toBe('skip');
    expect(r.problems.some((p) => p.includes('SANDBOX_PASSWORD') || p.includes('smtp.auth'))).toBe(true);
    expect(snapshot(dir)).toEqual(before);
  });

  it('a lint error stops it before any check or write', async () => {
    const dir = project(EXISTING);
    writeFileSync(join(dir, 'mail.yaml'), `${sb.mailYaml().replace('method: plain', 'method: nope')}${TARGETS}`);
    const before = snapshot(dir);
    const r = await deploy('mail.yaml', options(dir));
    expect(r.failedAt).toBe('lint');
    expect(r.report.files[0]!.checks).toEqual([]);
    expect(snapshot(dir)).toEqual(before);
  });

  it('an unknown target or profile fails the targets gate', async () => {
    const dir = project();
    writeFileSync(join(dir, 'mail.yaml'), `${sb.mailYaml()}targets:\n  - { target: nope, profile: ssl, out: a.env }\n  - { target: env, profile: missing, out: b.env }\n`);
    const r = await deploy('mail.yaml', options(dir));
    expect(r.failedAt).toBe('targets');
    expect(r.problems).toHaveLength(2);
    expect(existsSync(join(dir, 'a.env'))).toBe(false);
  });

  it('passing checks write every output with the right modes', async () => {
    const dir = project(EXISTING);
    const r = await deploy('mail.yaml', options(dir));
    expect(r.problems).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.written).toBe(true);
    const mode = (rel: string) => statSync(join(dir, rel)).mode & 0o777;
    expect(mode('out/mail.env')).toBe(0o640); // the existing file's mode is kept
    expect(mode('out/msmtprc')).toBe(0o600); // inline secrets
    expect(mode('out/postfix/main.cf')).toBe(0o644); // new, references only
    expect(mode('out/postfix/sasl_passwd')).toBe(0o644);
    expect(readFileSync(join(dir, 'out/mail.env'), 'utf8')).toContain('MAIL_PASSWORD=${SANDBOX_PASSWORD}');
    expect(readFileSync(join(dir, 'out/msmtprc'), 'utf8')).toContain(`password ${sb.users[0]!.password}`);
    expect(r.files.map((f) => [f.display, f.change])).toEqual([
      ['out/mail.env', 'update'],
      ['out/msmtprc', 'update'],
      ['out/postfix/main.cf', 'create'],
      ['out/postfix/sasl_passwd', 'create'],
    ]);
    // the diff never shows a secret, not even the inline one
    const shown = JSON.stringify(r.files.map((f) => f.diff));
    expect(shown).not.toContain(sb.users[0]!.password);
    expect(shown).toContain('MAIL_HOST=old.example');
    // no temporaries left behind
    expect(Object.keys(snapshot(dir)).sort()).toEqual([...OUTPUTS].sort());

    // a second run changes nothing
    const again = await deploy('mail.yaml', options(dir));
    expect(again.files.every((f) => f.change === 'unchanged')).toBe(true);
    expect(again.written).toBe(false);
  });

  it('--dry-run reports the changes and writes nothing', async () => {
    const dir = project(EXISTING);
    const before = snapshot(dir);
    const r = await deploy('mail.yaml', options(dir, { dryRun: true }));
    expect(r.ok).toBe(true);
    expect(r.written).toBe(false);
    expect(r.files.filter((f) => f.change !== 'unchanged')).toHaveLength(4);
    expect(snapshot(dir)).toEqual(before);
  });

  it('an interrupted write (failure between temp write and rename) leaves every file as it was', async () => {
    for (const failAt of [0, 1, 3]) {
      const dir = project(EXISTING);
      const before = snapshot(dir);
      let renames = 0;
      const r = await deploy(
        'mail.yaml',
        options(dir, {
          hooks: {
            beforeRename(tmp, dest) {
              // the temporary is complete and beside its destination; the destination is untouched
              expect(join(tmp, '..')).toBe(join(dest, '..'));
              expect(readFileSync(tmp, 'utf8').length).toBeGreaterThan(0);
              if (renames++ === failAt) throw Object.assign(new Error('simulated crash'), { code: 'EIO' });
            },
          },
        }),
      );
      expect(r.ok).toBe(false);
      expect(r.failedAt).toBe('write');
      expect(snapshot(dir)).toEqual(before);
    }
  });

  it('--send-test sends with every profile used before writing', async () => {
    const dir = project();
    const before = sb.messages.length;
    const r = await deploy('mail.yaml', options(dir, { sendTest: { to: 'deploy-test@example.test' } }));
    expect(r.ok).toBe(true);
    expect(r.sends.map((s) => [s.profile, s.ok])).toEqual([
      ['starttls', true],
      ['ssl', true],
    ]);
    const sent = sb.messages.slice(before).filter((m) => m.envelope.to.includes('deploy-test@example.test'));
    expect(sent.map((m) => m.listener).sort()).toEqual(['ssl', 'starttls']);
  });
});

describe('deploy --send-test: the "saved only after a test email" gate (Shipturtle, seed:002)', () => {
  it('checks pass but the test message is refused: nothing is written, existing outputs stay byte-identical', async () => {
    // a server that accepts the login and the envelope but refuses every message body (552)
    const tiny = await startSandbox({ maxMessageSize: 64 });
    try {
      const dir = mkdtempSync(join(tmpdir(), 'mailcheck-deploy-gate-'));
      writeFileSync(join(dir, 'mail.yaml'), `${tiny.mailYaml()}${TARGETS}`);
      mkdirSync(join(dir, 'out'));
      writeFileSync(join(dir, 'out/mail.env'), 'MAIL_HOST=old.example\n', { mode: 0o640 });
      const before = snapshot(dir);
      const opts = {
        cwd: dir,
        env: tiny.env(),
        resolver: `${tiny.dns.host}:${tiny.dns.port}`,
        caPem: tiny.caPem,
        mtaStsPort: tiny.mtaSts.endpoint.port,
        timeoutMs: 5000,
        deadlineMs: 20_000,
      };
      const r = await deploy('mail.yaml', { ...opts, sendTest: { to: 'gate@example.test' } });
      expect(r.ok).toBe(false);
      expect(r.failedAt).toBe('send');
      expect(r.sends.map((s) => [s.profile, s.ok])).toEqual([
        ['starttls', false],
        ['ssl', false],
      ]);
      expect(tiny.messages).toHaveLength(0);
      expect(snapshot(dir)).toEqual(before);
      // the same project without --send-test passes the gate and writes: the send was what failed
      const written = await deploy('mail.yaml', opts);
      expect(written.ok).toBe(true);
      expect(existsSync(join(dir, 'out/msmtprc'))).toBe(true);
    } finally {
      await tiny.close();
    }
  });
});

describe('mailcheck deploy (CLI)', () => {
  async function cli(dir: string, args: string[], env = sb.env()) {
    return runCli(['deploy', ...args, '--resolver', `${sb.dns.host}:${sb.dns.port}`, '--ca-file', sb.caPath, '--mta-sts-port', String(sb.mtaSts.endpoint.port), '--timeout', '5s'], { env: { CI: 'true', ...env }, cwd: dir });
  }

  it('--dry-run prints the diff summary with secret lines hidden, exit 0, nothing written', async () => {
    const dir = project(EXISTING);
    const before = snapshot(dir);
    const r = await cli(dir, ['--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^out\/mail\.env {2}\(laravel ← starttls, mode 0640\): would be updated \(\+\d+ −1\)$/m);
    expect(r.stdout).toContain('  - MAIL_HOST=old.example');
    expect(r.stdout).toContain('[line hidden: it may hold a secret]');
    expect(r.stdout).not.toContain(sb.users[0]!.password);
    expect(r.stderr).toContain('dry run');
    expect(snapshot(dir)).toEqual(before);
  });

  it('a failed check is exit 1 and writes nothing', async () => {
    const dir = project(EXISTING);
    const before = snapshot(dir);
    const r = await cli(dir, [], { SANDBOX_PASSWORD: 'wrong' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('nothing was written');
    expect(snapshot(dir)).toEqual(before);
  });

  it('writes and reports, exit 0; --json describes the result', async () => {
    const dir = project();
    const r = await cli(dir, ['--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { ok: boolean; written: boolean; files: { path: string; mode: string; change: string }[] };
    expect(out.ok).toBe(true);
    expect(out.written).toBe(true);
    expect(out.files.find((f) => f.path === 'out/msmtprc')).toMatchObject({ mode: '0600', change: 'create' });
  });

  it('--send-test without --to is a usage error (exit 2)', async () => {
    const r = await cli(project(), ['--send-test']);
    expect(r.code).toBe(2);
  });

  it('a file without targets: is exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailcheck-deploy-'));
    writeFileSync(join(dir, 'mail.yaml'), sb.mailYaml());
    const r = await cli(dir, []);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no targets');
  });
});
