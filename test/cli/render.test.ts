import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TARGET_IDS } from '../../src/render.ts';
import { runCli } from '../helpers/cli.ts';

const MAIL_YAML = `version: 1
profiles:
  production:
    host: smtp.acme.example
    port: 587
    encryption: starttls
    auth: { method: login, username: billing@acme.example, password: "\${SMTP_PASSWORD}" }
    from: { address: billing@acme.example, name: Acme Billing }
    replyTo: support@acme.example
  staging:
    host: smtp.acme.example
    port: 465
    encryption: ssl
    auth: { method: login, username: staging@acme.example, password: "\${STAGING_PASSWORD}" }
    from: { address: staging@acme.example }
`;

const SECRET = `s3cr$t'"@%`;

async function cli(args: string[], env: Record<string, string> = {}, files: Record<string, string> = { 'mail.yaml': MAIL_YAML }) {
  const cwd = mkdtempSync(join(tmpdir(), 'mailcheck-render-cli-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(cwd, name), text);
  return { ...(await runCli(args, { env, cwd })), cwd };
}

describe('mailcheck targets', () => {
  it('lists every target with what it writes and cannot express', async () => {
    const r = await cli(['targets']);
    expect(r.code).toBe(0);
    for (const id of TARGET_IDS) expect(r.stdout).toMatch(new RegExp(`^${id} `, 'm'));
    expect(r.stdout).toContain('cannot express: ');
  });

  it('--json gives the metadata of every target', async () => {
    const r = await cli(['targets', '--json']);
    const metas = JSON.parse(r.stdout) as { id: string; status: string; statusNote?: string; cannotExpress: string[] }[];
    expect(metas.map((m) => m.id)).toEqual(TARGET_IDS);
    expect(metas.find((m) => m.id === 'shipturtle')).toMatchObject({ status: 'derived', statusNote: expect.any(String) });
  });

  it('an unknown id is exit 2 with the list', async () => {
    const r = await cli(['targets', 'nope']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('laravel');
  });
});

describe('mailcheck render', () => {
  it('prints the target file on stdout, warnings on stderr, exit 0, secrets as references', async () => {
    const r = await cli(['render', '--target', 'laravel', '--profile', 'production'], { SMTP_PASSWORD: SECRET });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^MAIL_HOST=smtp\.acme\.example$/m);
    expect(r.stdout).toMatch(/^MAIL_PASSWORD=\$\{SMTP_PASSWORD\}$/m);
    expect(r.stdout).not.toContain('s3cr');
    expect(r.stderr).toMatch(/^warning {2}laravel {2}replyTo /m);
  });

  it('an unknown target is exit 2 and lists the targets', async () => {
    const r = await cli(['render', '--target', 'nope', '--profile', 'production']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown target "nope"');
    for (const id of TARGET_IDS) expect(r.stderr).toContain(id);
  });

  it('several profiles and no --profile is exit 2 naming them', async () => {
    const r = await cli(['render', '--target', 'env']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('production, staging');
  });

  it('lint errors stop it with exit 1 and nothing rendered', async () => {
    const broken = MAIL_YAML.replace('port: 465', 'port: 587');
    const r = await cli(['render', '--target', 'env', '--profile', 'production', '--format', 'json'], {}, { 'mail.yaml': broken });
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { files: { diagnostics: { ruleId: string }[] }[] };
    expect(report.files[0]!.diagnostics.map((d) => d.ruleId)).toContain('port-encryption-mismatch');
  });

  it('--secrets inline writes the value, escaped, into a 0600 file with --out', async () => {
    const r = await cli(['render', '-t', 'laravel', '-p', 'production', '--secrets', 'inline', '--out', 'deploy/mail.env'], { SMTP_PASSWORD: SECRET });
    expect(r.code).toBe(0);
    const path = join(r.cwd, 'deploy', 'mail.env');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8')).toContain(`MAIL_PASSWORD="s3cr\\$t'\\"@%"`);
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toContain('s3cr');
  });

  it('--out with references is 0644', async () => {
    const r = await cli(['render', '-t', 'symfony', '-p', 'staging', '-o', 'mailer.env']);
    expect(r.code).toBe(0);
    expect(statSync(join(r.cwd, 'mailer.env')).mode & 0o777).toBe(0o644);
  });

  it('--secrets inline without the variable is exit 2 naming it, no value', async () => {
    const r = await cli(['render', '-t', 'env', '-p', 'production', '--secrets', 'inline']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('SMTP_PASSWORD');
  });

  it('--env-file supplies inline secrets', async () => {
    const r = await cli(['render', '-t', 'env', '-p', 'staging', '--secrets', 'inline', '--env-file', 'secrets.env'], {}, {
      'mail.yaml': MAIL_YAML,
      'secrets.env': "STAGING_PASSWORD='from-file'\n",
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^SMTP_PASSWORD=from-file$/m);
  });

  it('--json prints files and warnings', async () => {
    const r = await cli(['render', '-t', 'postfix', '-p', 'production', '--json']);
    const out = JSON.parse(r.stdout) as { target: string; files: { name: string }[]; warnings: { setting: string }[] };
    expect(out.target).toBe('postfix');
    expect(out.files.map((f) => f.name)).toEqual(['main.cf', 'sasl_passwd']);
    expect(out.warnings.map((w) => w.setting)).toContain('from.name');
  });
});
