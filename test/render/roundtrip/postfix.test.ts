/**
 * Round trips through Postfix's own tools: `postconf -c DIR -n` reads the rendered main.cf (and
 * warns about unknown or malformed parameters); `postmap` builds the sasl_passwd table and
 * `postmap -q` looks the relay up the way the SMTP client does.
 */
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { render } from '../../../src/render.ts';
import { BASE_DIR, CA, hardProfile, HARD_PASSWORD } from './profiles.ts';
import { folder, requireTool, run } from './tools.ts';

const POSTCONF = '/usr/sbin/postconf';
const POSTMAP = '/usr/sbin/postmap';

beforeAll(() => {
  requireTool('Postfix (postconf)', POSTCONF, ['-d', 'mail_version']);
  requireTool('Postfix (postmap)', 'sh', ['-c', `test -x ${POSTMAP}`]);
});

function parse(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .split('\n')
      .filter((l) => l.includes(' = '))
      .map((l) => [l.slice(0, l.indexOf(' = ')), l.slice(l.indexOf(' = ') + 3)]),
  );
}

describe('postfix main.cf through postconf, sasl_passwd through postmap', () => {
  it.each(['ssl', 'starttls'] as const)('%s: relayhost, TLS mode, verification, CA, SASL login with the hard password', (enc) => {
    const { profile, meant } = hardProfile(enc);
    const out = render(profile, 'postfix', { secrets: 'inline', reveal: () => HARD_PASSWORD, baseDir: BASE_DIR });
    const main = out.files.find((f) => f.name === 'main.cf')!;
    const sasl = out.files.find((f) => f.name === 'sasl_passwd')!;
    const dir = folder({ 'main.cf': main.content, 'master.cf': '', sasl_passwd: sasl.content });
    const conf = parse(run(POSTCONF, ['-c', dir, '-n']));
    expect(conf.relayhost).toBe(`[${meant.host}]:${meant.port}`);
    expect(conf.smtp_tls_wrappermode).toBe(enc === 'ssl' ? 'yes' : 'no');
    // verification on: `secure` (name checked against the certificate) — `encrypt` would not verify
    expect(conf.smtp_tls_security_level).toBe('secure');
    expect(conf.smtp_tls_CAfile).toBe(CA);
    expect(conf.smtp_sasl_auth_enable).toBe('yes');
    expect(conf.smtp_sasl_mechanism_filter).toBe('login');
    run(POSTMAP, ['-c', dir, `hash:${dir}/sasl_passwd`]);
    expect(run(POSTMAP, ['-c', dir, '-q', conf.relayhost!, `hash:${dir}/sasl_passwd`]).replace(/\n$/, '')).toBe(`${meant.user}:${meant.password}`);
  });

  it('postconf reports no unused or malformed parameter (stderr is empty)', () => {
    const { profile } = hardProfile('starttls');
    const out = render(profile, 'postfix', { secrets: 'inline', reveal: () => HARD_PASSWORD, baseDir: BASE_DIR });
    const dir = folder({ 'main.cf': out.files.find((f) => f.name === 'main.cf')!.content, 'master.cf': '' });
    const r = spawnSync(POSTCONF, ['-c', dir, '-n'], { encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
  });
});
