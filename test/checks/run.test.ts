import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CHECKS, CHECK_IDS } from '../../src/checks/index.ts';
import { planFor, resolveOnly, runChecks, type CheckEvent } from '../../src/checks/run.ts';
import { authHintId } from '../../src/checks/smtp-auth.ts';
import { smtpConnect } from '../../src/checks/smtp-connect.ts';
import type { CheckContext, ProfileProbe } from '../../src/checks/types.ts';
import { findPreset } from '../../src/presets/index.ts';
import { startDnsServer, startSandbox, type DnsServer, type Sandbox } from '../../src/sandbox/index.ts';
import type { SmtpTranscript } from '../../src/net/smtp-session.ts';
import type { Profile } from '../../src/types.ts';
import { byId, sandboxProfile, sandboxRun } from './helpers.ts';
import { SPEC_CHECK_IDS } from '../helpers/spec.ts';


let sb: Sandbox;
let silent: DnsServer;
beforeAll(async () => {
  sb = await startSandbox();
  silent = await startDnsServer({ fault: 'silence' });
});
afterAll(async () => {
  await sb.close();
  await silent.close();
});

describe('registry', () => {
  test('the registry holds exactly the SPEC §4 ids, one module each, named by id', () => {
    // every §4 id is registered; every registered id is one the contract names (§4, §8 or §9)
    for (const id of SPEC_CHECK_IDS.online) expect(CHECK_IDS).toContain(id);
    expect(SPEC_CHECK_IDS.oauth).toEqual(['oauth.token']);
    for (const id of [...SPEC_CHECK_IDS.deliverability, ...SPEC_CHECK_IDS.oauth]) expect(CHECK_IDS).toContain(id);
    for (const c of CHECKS) {
      expect(existsSync(join('src', 'checks', `${c.meta.id.replace('.', '-')}.ts`)), c.meta.id).toBe(true);
      expect(c.meta.title.length).toBeGreaterThan(0);
      for (const hint of Object.keys(c.meta.hints ?? {})) expect(typeof c.meta.hints![hint]).toBe('string');
    }
  });

  test("the README's check table lists every check", () => {
    const readme = readFileSync('README.md', 'utf8');
    const section = readme.slice(readme.indexOf('<!-- section:check -->'), readme.indexOf('<!-- /section:check -->'));
    for (const id of CHECK_IDS) expect(section, id).toContain(`\`${id}\``);
  });
});

describe('--only', () => {
  test('ids and groups select checks; an unknown name is a usage error', () => {
    expect([...resolveOnly(['mx,spf'])].sort()).toEqual(['dns.mx', 'dns.spf']);
    expect([...resolveOnly(['dns'])].sort()).toEqual(CHECK_IDS.filter((id) => id.startsWith('dns.')).sort());
    expect(resolveOnly(['tls'])).toEqual(new Set(['tls.handshake', 'tls.dane', 'smtp.starttls']));
    // SPEC §8: --only deliverability
    expect([...resolveOnly(['deliverability'])].sort()).toEqual(['dns.alignment', 'dns.bimi', 'dns.dkim', 'dns.mta-sts', 'dns.tls-rpt']);
    expect(() => resolveOnly(['nope'])).toThrow(expect.objectContaining({ code: 'E_USAGE' }));
  });

  test('prerequisites come along, in registry order', () => {
    const p = sandboxProfile(sb, sb.smtp.starttls, 'starttls');
    expect(planFor(p, resolveOnly(['auth']), undefined).map((c) => c.meta.id)).toEqual([
      'dns.host',
      'smtp.connect',
      'smtp.greeting',
      'smtp.starttls',
      'tls.handshake',
      'smtp.auth',
    ]);
    const ssl = sandboxProfile(sb, sb.smtp.ssl, 'ssl');
    expect(planFor(ssl, resolveOnly(['envelope']), 'x@example.org').map((c) => c.meta.id)).toContain('smtp.auth');
    expect(planFor(ssl, resolveOnly(['envelope']), undefined)).toEqual([]);
  });
});

describe('deadline', () => {
  test('a DNS server that never answers: the run ends by its deadline, unfinished checks are skipped with reason deadline', async () => {
    const p: Profile = { ...sandboxProfile(sb, sb.smtp.ssl, 'ssl'), name: 'silent', host: 'smtp.example.test', from: { address: 'app@example.test' } };
    const deadlineMs = 800;
    const started = Date.now();
    const results = await runChecks([p], sandboxRun(sb, { resolver: `${silent.endpoint.host}:${silent.endpoint.port}`, timeoutMs: 30_000, deadlineMs }));
    expect(Date.now() - started).toBeLessThan(deadlineMs + 1000);
    const r = byId(results);
    for (const id of ['dns.host', 'dns.mx', 'dns.spf', 'dns.dmarc', 'dns.srv', 'smtp.connect', 'smtp.greeting', 'tls.handshake', 'smtp.auth']) {
      expect(r[id], id).toMatchObject({ status: 'skip', details: { reason: 'deadline' } });
      expect(r[id]!.message).toBe('skipped: the deadline was reached before this check finished');
    }
  });

  test('a tarpit past the deadline; profiles queued behind it are skipped too', async () => {
    const fault = await sb.startFault('tarpit');
    const profiles = [1, 2, 3].map((i) => sandboxProfile(sb, fault, 'starttls', { name: `t${i}` }));
    const results = await runChecks(profiles, sandboxRun(sb, { timeoutMs: 30_000, deadlineMs: 500, concurrency: 1 }));
    expect(byId(results, 't1')['smtp.greeting']).toMatchObject({ status: 'skip', details: { reason: 'deadline' } });
    expect(byId(results, 't1')['smtp.connect']?.status).toBe('pass');
    expect(byId(results, 't3')['dns.host']).toMatchObject({ status: 'skip', details: { reason: 'deadline' } });
  });

  test('an outer abort signal ends the run as aborted', async () => {
    const fault = await sb.startFault('tarpit');
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const results = await runChecks([sandboxProfile(sb, fault, 'starttls')], sandboxRun(sb, { timeoutMs: 30_000, signal: controller.signal }));
    expect(byId(results)['smtp.greeting']).toMatchObject({ status: 'skip', details: { reason: 'aborted' } });
  });
});

describe('events', () => {
  test('plan first, then start and result per check, then done', async () => {
    const events: CheckEvent[] = [];
    const results = await runChecks([sandboxProfile(sb, sb.smtp.ssl, 'ssl', { name: 'e' })], sandboxRun(sb, { only: ['tls'], onEvent: (e) => events.push(e) }));
    expect(events[0]).toEqual({ type: 'plan', profile: 'e', checks: [
      { id: 'dns.host', title: 'host resolves' },
      { id: 'smtp.connect', title: 'TCP connect' },
      { id: 'tls.handshake', title: 'TLS handshake' },
      { id: 'tls.dane', title: 'DANE (TLSA) matches' },
    ] });
    expect(events.at(-1)).toEqual({ type: 'done', profile: 'e' });
    expect(events.filter((e) => e.type === 'result')).toHaveLength(results.length);
    expect(events.filter((e) => e.type === 'start')).toHaveLength(results.length);
  });
});

describe('evaluation of rare transcripts', () => {
  const base: SmtpTranscript = { host: 'mx.example.org', port: 25, encryption: 'none', connect: { ok: false, durationMs: 10_000 }, log: [], aborted: false, stoppedAt: 'connect' };
  const ctxWith = (t: SmtpTranscript, profile: Partial<Profile>): CheckContext => ({
    profile: { name: 'p', transport: 'smtp', host: t.host, port: t.port, bcc: [], ...profile },
    probe: { smtp: async () => t } as unknown as ProfileProbe,
    now: new Date(),
    https: async () => ({ ok: false, kind: 'socket', message: 'not in this test' }),
  });

  test('a connect timeout on port 25 says egress is probably blocked', async () => {
    const t = { ...base, connect: { ok: false, durationMs: 10_000, failure: { kind: 'timeout' as const, message: 'no TCP connection' } } };
    const out = await smtpConnect.run(ctxWith(t, {}));
    expect(out).toMatchObject({ status: 'fail', messageId: 'timeout-25', hintId: 'timeout-25' });
    const other = await smtpConnect.run(ctxWith({ ...t, port: 587 }, { port: 587 }));
    expect(other).toMatchObject({ status: 'fail', messageId: 'timeout' });
  });

  test('provider hints for refused logins', () => {
    const reply = (code: number, enhanced: string, text = '') => ({ code, enhanced, lines: [text], text: `${code} ${enhanced} ${text}` });
    const gmail = findPreset('gmail');
    const o365 = findPreset('office365');
    expect(authHintId(reply(535, '5.7.8'), gmail)).toBe('app-password');
    expect(authHintId(reply(534, '5.7.9', 'Application-specific password required'), gmail)).toBe('app-password');
    expect(authHintId(reply(534, '5.7.14', 'Please log in via your web browser'), undefined)).toBe('web-login');
    expect(authHintId(reply(535, '5.7.139', 'Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant'), o365)).toBe('smtp-auth-disabled');
    expect(authHintId(reply(550, '5.7.30', 'Basic authentication is not supported for Client Submission'), o365)).toBe('basic-auth-retired');
    expect(authHintId(reply(535, '5.7.3', 'Authentication unsuccessful'), o365)).toBe('oauth2');
    expect(authHintId(reply(535, '5.7.3', 'Authentication unsuccessful'), o365, 'xoauth2')).toBe('m365-xoauth2-refused');
    expect(authHintId(reply(535, '5.7.8', 'Authentication credentials invalid'), gmail, 'xoauth2')).toBe('xoauth2-refused');
    expect(authHintId(reply(530, '5.7.0', 'Must issue a STARTTLS command first'), undefined)).toBe('must-starttls');
    expect(authHintId(reply(530, '5.7.0', 'Authentication required'), undefined)).toBe('auth-required');
    expect(authHintId(reply(454, '4.7.0', 'Too many login attempts'), gmail)).toBe('temporary');
    expect(authHintId(reply(535, '5.7.8'), undefined)).toBe('wrong-credentials');
  });
});
