/**
 * SPEC §7 "Outside text cannot steer the reader", issue "Hardening" class 7: a DNS record whose
 * text holds a line break and a GitHub workflow command, or an escape sequence, never starts an
 * output line and never reaches the terminal raw, in any format.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPORTERS } from '../../src/report/index.ts';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.ts';
import { runCli } from '../helpers/cli.ts';

let sb: Sandbox;
let dir = '';
const EVIL = 'evil.example';
beforeAll(async () => {
  sb = await startSandbox();
  sb.addRecords([
    { name: EVIL, type: 'MX', priority: 10, exchange: `smtp.${sb.domain}` },
    { name: `_dmarc.${EVIL}`, type: 'TXT', text: 'v=DMARC1; p=\n::warning file=x::pwned\u001b[31mRED\u009b2J' },
    { name: EVIL, type: 'TXT', text: 'v=spf1 include:\r\n::error::also-pwned -all' },
  ]);
  dir = mkdtempSync(join(tmpdir(), 'mailcheck-dnstext-'));
  writeFileSync(join(dir, 'mail.yaml'), `version: 1\nprofiles:\n  p:\n    host: 127.0.0.1\n    port: ${sb.smtp.starttls.port}\n    encryption: starttls\n    from: { address: app@${EVIL} }\nrules: { preset-mismatch: off }\n`);
});
afterAll(async () => {
  await sb.close();
});

describe('hostile DNS text', () => {
  it.each(Object.keys(REPORTERS))('%s: no output line begins with the record\'s words; no escape sequence', async (format) => {
    const r = await runCli(['check', '--only', 'dmarc,spf', '--resolver', `${sb.dns.host}:${sb.dns.port}`, '--format', format], { cwd: dir, env: { CI: 'true' } });
    expect(r.code).toBe(1); // the records are broken: the checks fail, and say so
    for (const line of `${r.stdout}\n${r.stderr}`.split(/\r?\n|\r/)) {
      expect(line.trimStart().startsWith('::warning file=x::'), line).toBe(false);
      expect(line.trimStart().startsWith('::error::also-pwned'), line).toBe(false);
    }
    expect(r.stdout + r.stderr).not.toMatch(/\u001b|\u009b/);
  });
});
