import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lintSource } from '../../src/engine.ts';
import { runCli, type CliRun } from '../helpers/cli.ts';
import { VERSION } from '../../src/version.ts';

const dir = mkdtempSync(join(tmpdir(), 'mailcheck-init-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function init(args: string[]): Promise<CliRun> {
  return runCli(['init', ...args], { cwd: dir });
}

describe('mailcheck init --preset', () => {
  it('writes a lint-clean mail.yaml with the schema comment and a password reference', async () => {
    const r = await init(['--preset', 'gmail', '--from', 'me@gmail.com', '--out', 'a.yaml']);
    expect(r.code).toBe(0);
    const text = readFileSync(join(dir, 'a.yaml'), 'utf8');
    const [first, second] = text.split('\n');
    expect(first).toBe(`# yaml-language-server: $schema=https://unpkg.com/mailcheck-cli@${VERSION}/schema/mail.schema.json`);
    expect(second).toBe('#   offline, after npm install: $schema=./node_modules/mailcheck-cli/schema/mail.schema.json');
    expect(text).toContain('password: ${SMTP_PASSWORD}');
    expect(lintSource('a.yaml', text).diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
  });

  it('an alias works, and --profile names the profile', async () => {
    const r = await init(['--preset', 'SES', '--from', 'app@acme.example', '--out', 'b.yaml', '--profile', 'billing']);
    expect(r.code).toBe(0);
    const text = readFileSync(join(dir, 'b.yaml'), 'utf8');
    expect(text).toContain('  billing:\n    preset: amazon-ses\n');
    expect(text).toContain('host: email-smtp.us-east-1.amazonaws.com');
  });

  it('the preset follows from a provider address', async () => {
    const r = await init(['--from', 'someone@outlook.com', '--out', 'c.yaml']);
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'c.yaml'), 'utf8')).toContain('preset: outlook\n');
  });

  it.each([
    [['--preset', 'gmial', '--from', 'a@b.example'], /unknown preset "gmial" \(did you mean gmail\?\)/],
    [['--preset', 'gmail'], /needs --from/],
    [['--preset', 'gmail', '--from', 'not an address'], /--from "not an address"/],
    [['--from', 'billing@acme.example'], /no preset knows acme\.example/],
    [[], /needs --preset P or --domain D/],
    [['--domain', 'not_a_domain'], /is not a domain name/],
  ])('usage errors exit 2: %j', async (args, message) => {
    const r = await init([...args, '--out', 'never.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(existsSync(join(dir, 'never.yaml'))).toBe(false);
  });

  it('refuses to overwrite without --force (exit 2, one line), overwrites with it', async () => {
    writeFileSync(join(dir, 'mine.yaml'), 'keep me\n');
    const r = await init(['--preset', 'posteo', '--from', 'me@posteo.de', '--out', 'mine.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('mailcheck: mine.yaml already exists; pass --force to overwrite it\n');
    expect(readFileSync(join(dir, 'mine.yaml'), 'utf8')).toBe('keep me\n');
    expect((await init(['--preset', 'posteo', '--from', 'me@posteo.de', '--out', 'mine.yaml', '--force'])).code).toBe(0);
    expect(readFileSync(join(dir, 'mine.yaml'), 'utf8')).toContain('preset: posteo');
  });
});
