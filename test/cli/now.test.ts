import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/types.ts';
import { runCli } from '../helpers/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'mailcheck-now-'));
writeFileSync(
  join(dir, 'mail.yaml'),
  'version: 1\nprofiles:\n  m365:\n    preset: office365\n    from: { address: app@acme.example }\n    auth: { method: login, username: app@acme.example, password: "${SMTP_PASSWORD}" }\n  outlook:\n    preset: outlook\n    from: { address: me@outlook.com }\n    auth: { method: login, username: me@outlook.com, password: "${SMTP_PASSWORD}" }\n',
);

async function basicAuth(args: string[], env: Record<string, string> = {}): Promise<Pick<Diagnostic, 'profile' | 'severity'>[]> {
  const run = await runCli(['lint', '--json', ...args], { cwd: dir, env });
  const report = JSON.parse(run.stdout) as { files: { diagnostics: Diagnostic[] }[] };
  return report.files[0]!.diagnostics.filter((d) => d.ruleId === 'provider-basic-auth').map((d) => ({ profile: d.profile, severity: d.severity }));
}

describe('the clock of date-based rules (--now, MAILCHECK_NOW)', () => {
  it('--now before Outlook.com removed password login: both warn', async () => {
    expect(await basicAuth(['--now', '2024-09-01'])).toEqual([
      { profile: 'm365', severity: 'warning' },
      { profile: 'outlook', severity: 'warning' },
    ]);
  });

  it('MAILCHECK_NOW after: Outlook.com is an error, Microsoft 365 (off by default, re-enable possible) a warning', async () => {
    expect(await basicAuth([], { MAILCHECK_NOW: '2027-02-01' })).toEqual([
      { profile: 'm365', severity: 'warning' },
      { profile: 'outlook', severity: 'error' },
    ]);
  });

  it('--now wins over MAILCHECK_NOW', async () => {
    expect((await basicAuth(['--now', '2024-09-01T12:00:00Z'], { MAILCHECK_NOW: '2027-02-01' }))[1]!.severity).toBe('warning');
  });

  it('a malformed date is a usage error (exit 2)', async () => {
    const run = await runCli(['lint', '--now', 'tomorrow'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--now');
  });
});
