import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCHEMA_COMMENT, SCHEMA_LOCAL_COMMENT } from '../../src/presets/starter.ts';
import type { CliIO } from '../../src/cli/io.ts';
import { runCommand } from '../../src/cli/run.ts';
import { lintSource } from '../../src/engine.ts';
import { startDnsServer, startSandbox, type DnsServer, type Sandbox } from '../../src/sandbox/index.ts';
import { runCli } from '../helpers/cli.ts';

// (c) `mailcheck init --domain` against the sandbox's DNS responder: SRV records, the MX of a
// known provider, nothing at all, and resolvers that never answer.

function serverOf(ep: { host: string; port: number }): string {
  return ep.host.includes(':') ? `[${ep.host}]:${ep.port}` : `${ep.host}:${ep.port}`;
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  file?: string;
}

describe('mailcheck init --domain (sandbox DNS)', () => {
  let sb: Sandbox;
  let silent: DnsServer;
  let dir: string;
  let n = 0;

  beforeAll(async () => {
    sb = await startSandbox();
    silent = await startDnsServer({ fault: 'silence' });
    sb.addRecords([
      { name: 'acme.example', type: 'MX', priority: 10, exchange: 'aspmx.l.google.com' },
      { name: 'acme.example', type: 'MX', priority: 20, exchange: 'alt1.aspmx.l.google.com' },
      { name: 'eu-shop.example', type: 'MX', priority: 10, exchange: 'mx.zoho.eu' },
      { name: 'ses-shop.example', type: 'MX', priority: 10, exchange: 'inbound-smtp.eu-west-1.amazonaws.com' },
      { name: 'outside.example', type: 'SRV', priority: 0, weight: 1, port: 587, target: 'mail.hoster.example' },
      { name: '_submission._tcp.outside.example', type: 'SRV', priority: 0, weight: 1, port: 587, target: 'mail.hoster.example' },
      { name: '_submissions._tcp.noservice.example', type: 'SRV', priority: 0, weight: 0, port: 0, target: '.' },
      { name: 'noservice.example', type: 'MX', priority: 10, exchange: 'mx.noservice.example' },
    ]);
    dir = mkdtempSync(join(tmpdir(), 'mailcheck-init-'));
  });
  afterAll(async () => {
    await Promise.all([sb.close(), silent.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  async function init(args: string[], resolver = serverOf(sb.dns)): Promise<Run> {
    const out = `mail-${++n}.yaml`;
    const r = await runCli(['init', '--resolver', resolver, '--out', out, ...args], { cwd: dir });
    const path = join(dir, out);
    return { ...r, ...(existsSync(path) ? { file: readFileSync(path, 'utf8') } : {}) };
  }

  function lintClean(text: string): string[] {
    return lintSource('mail.yaml', text).diagnostics.filter((d) => d.severity !== 'info').map((d) => `${d.ruleId}@${d.line}`);
  }

  it('SRV records present: their host and port, implicit TLS preferred (RFC 8314), high confidence', async () => {
    const r = await init(['--domain', sb.domain, '--from', `billing@${sb.domain}`]);
    expect(r.code).toBe(0);
    expect(r.file).toContain(`host: smtp.${sb.domain}\n    port: ${sb.smtp.ssl.port}\n    encryption: ssl\n`);
    expect(r.file).not.toContain('preset:');
    expect(r.stdout).toContain('confidence high');
    expect(r.stdout).toContain(`smtp.${sb.domain}:${sb.smtp.starttls.port} (starttls)`);
    expect(lintClean(r.file!)).toEqual([]);
  });

  it('--json reports every step', async () => {
    const r = await init(['--domain', sb.domain, '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { discovery: { basis: string; confidence: string; steps: { what: string; status: string }[] }; written: boolean };
    expect(j.written).toBe(true);
    expect(j.discovery).toMatchObject({ basis: 'srv', confidence: 'high' });
    expect(j.discovery.steps.map((s) => [s.what, s.status])).toEqual([
      [`SRV _submissions._tcp.${sb.domain}`, 'ok'],
      [`SRV _submission._tcp.${sb.domain}`, 'ok'],
      [`MX ${sb.domain}`, 'ok'],
      [`mail domain ${sb.domain}`, 'none'],
    ]);
  });

  it('the MX of a known provider: its preset, medium confidence', async () => {
    const r = await init(['--domain', 'acme.example', '--from', 'billing@acme.example']);
    expect(r.code).toBe(0);
    expect(r.file).toContain('preset: google-workspace\n    host: smtp.gmail.com\n    port: 465\n    encryption: ssl\n');
    expect(r.stdout).toContain('aspmx.l.google.com → google-workspace');
    expect(r.stdout).toContain('confidence medium');
    expect(lintClean(r.file!)).toEqual([]);
  });

  it('the MX picks the regional endpoint (Zoho EU) and the region (SES)', async () => {
    const zoho = await init(['--domain', 'eu-shop.example']);
    expect(zoho.file).toContain('preset: zoho\n    host: smtp.zoho.eu\n');
    const ses = await init(['--domain', 'ses-shop.example']);
    expect(ses.file).toContain('preset: amazon-ses\n    host: email-smtp.eu-west-1.amazonaws.com\n');
    expect(lintClean(ses.file!)).toEqual([]);
  });

  it('a provider mail domain is recognised without asking who its MX is', async () => {
    const r = await init(['--domain', 'gmail.com', '--from', 'me@gmail.com']);
    expect(r.code).toBe(0);
    expect(r.file).toContain('preset: gmail\n');
    expect(r.stdout).toContain('confidence high');
  });

  it('an SRV target outside the domain lowers the confidence (RFC 6186 §6)', async () => {
    const r = await init(['--domain', 'outside.example']);
    expect(r.file).toContain('host: mail.hoster.example\n    port: 587\n    encryption: starttls\n');
    expect(r.stdout).toContain('confidence medium');
  });

  it('an SRV target of "." says the service is not offered', async () => {
    const r = await init(['--domain', 'noservice.example']);
    expect(r.stdout).toContain('no such service');
    expect(r.stdout).toContain('confidence low');
  });

  it('nothing in DNS: the expected guess, marked as one', async () => {
    const d = `empty.${sb.domain}`;
    const r = await init(['--domain', d, '--from', `billing@${d}`]);
    expect(r.code).toBe(0);
    expect(r.file).toBe(
      [
        SCHEMA_COMMENT,
        SCHEMA_LOCAL_COMMENT,
        `# Written by \`mailcheck init --domain ${d}\`: confidence low.`,
        `# nothing in DNS names a submission server for ${d}: smtp.${d}:587 is a guess to edit.`,
        'version: 1',
        'profiles:',
        '  production:',
        "    # not found in DNS: a guess, replace with your provider's settings",
        `    host: smtp.${d}`,
        '    port: 587',
        '    encryption: starttls',
        '    auth:',
        '      method: login',
        `      username: billing@${d}`,
        '      password: ${SMTP_PASSWORD}',
        '    from:',
        `      address: billing@${d}`,
        '',
      ].join('\n'),
    );
    expect(r.stdout).toContain('confidence low');
    expect(lintClean(r.file!)).toEqual([]);
  });

  it('a resolver that never answers ends by the deadline with one clear line, and writes nothing', async () => {
    const r = await init(['--domain', 'acme.example', '--timeout', '5s', '--deadline', '300ms'], serverOf(silent.endpoint));
    expect(r.code).toBe(2);
    expect(r.file).toBeUndefined();
    expect(r.stderr).toMatch(/^mailcheck: no DNS answer for acme\.example from 127\.0\.0\.1:\d+ by the deadline \(.+\); nothing written\n/);
  });

  it('a resolver with nothing listening fails the same way', async () => {
    const closed = await startDnsServer();
    const where = serverOf(closed.endpoint);
    await closed.close();
    const r = await init(['--domain', 'acme.example', '--timeout', '300ms', '--deadline', '2s'], where);
    expect(r.code).toBe(2);
    expect(r.file).toBeUndefined();
    expect(r.stderr).toContain('no DNS answer for acme.example');
  });

  it('refuses to overwrite without --force: exit 2, one line, before asking DNS', async () => {
    const first = await init(['--domain', sb.domain]);
    expect(first.code).toBe(0);
    const out = `mail-${n}.yaml`;
    let stderr = '';
    const io: CliIO = { stdout: { write: () => true }, stderr: { write: (s: string) => (stderr += s) }, env: {}, cwd: dir };
    expect(await runCommand(['init', '--domain', sb.domain, '--resolver', serverOf(silent.endpoint), '--out', out], io)).toBe(2);
    expect(stderr).toBe(`mailcheck: ${out} already exists; pass --force to overwrite it\n`);
    expect(await runCommand(['init', '--domain', sb.domain, '--resolver', serverOf(sb.dns), '--out', out, '--force'], io)).toBe(0);
  });
});
