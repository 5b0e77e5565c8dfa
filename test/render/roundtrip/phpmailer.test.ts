/**
 * Perfex CRM / Djaboo round trip: the options the `perfex` render writes (perfex-options.json) are
 * read by a PHP script that configures Debian's PHPMailer (libphp-phpmailer) exactly as Perfex
 * does, then sends through the in-process sandbox. The mapping copies Perfex's own code:
 * application/config/email.php (smtp_user = smtp_username, or smtp_email when empty; smtp_crypto =
 * smtp_encryption; smtp_auto_tls false; charset utf-8 when empty, upper-cased by App_mailer::set_charset) and
 * application/libraries/App_mailer.php (SMTPSecure 'ssl'/'tls'/''; SMTPAuth unless user and
 * password are both empty; setFrom(smtp_email, companyname); BCC from bcc_emails), read in
 * github.com/arham-anees/perfex_crm at 837976e22b9b62e59d0507c51304fead15dd2ce4.
 * The password is not in the options (Perfex stores it encrypted): the script gets it from the
 * environment, as Perfex gets it decrypted. The sandbox CA goes in SMTPOptions, Perfex's
 * smtp_conn_options (config/my_email.php), since the options have no CA field.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Secret } from '../../../src/config/secret.ts';
import { render } from '../../../src/render.ts';
import { startSandbox, type Sandbox } from '../../../src/sandbox/index.ts';
import type { Profile } from '../../../src/types.ts';
import { folder, INSTALL, requireTool } from './tools.ts';

const PHP = '/usr/bin/php';
const AUTOLOAD = '/usr/share/php/libphp-phpmailer/autoload.php';

const SCRIPT = `<?php
require '${AUTOLOAD}';
use PHPMailer\\PHPMailer\\PHPMailer;
$o = json_decode(file_get_contents($argv[1]), true);
$m = new PHPMailer(true);
$m->isSMTP();
$m->Host = trim($o['smtp_host']);
$m->Port = (int) trim($o['smtp_port']);
$crypto = strtolower(trim($o['smtp_encryption'] ?? ''));
$m->SMTPSecure = ($crypto === 'ssl' || $crypto === 'tls') ? $crypto : '';
$m->SMTPAutoTLS = false;
$user = trim(($o['smtp_username'] ?? '') === '' ? $o['smtp_email'] : $o['smtp_username']);
$pass = getenv('PERFEX_SMTP_PASSWORD') ?: '';
$m->Username = $user;
$m->Password = $pass;
$m->SMTPAuth = !($user === '' && $pass === '');
$cs = strtoupper(trim($o['smtp_email_charset'] ?? ''));
$m->CharSet = strtoupper($cs === '' ? 'utf-8' : $cs);
$m->SMTPOptions = ['ssl' => ['cafile' => $argv[2], 'verify_peer' => true, 'verify_peer_name' => true]];
$m->Timeout = 10;
$m->setFrom($o['smtp_email'], 'Acme CRM');
$m->addAddress($argv[3]);
foreach (array_filter(array_map('trim', explode(',', $o['bcc_emails'] ?? ''))) as $b) { $m->addBCC($b); }
$m->isHTML(true);
$m->Subject = 'perfex round trip';
$m->Body = ($o['email_header'] ?? '') . '<p>héllo from Perfex</p>' . ($o['email_signature'] ?? '') . ($o['email_footer'] ?? '');
$m->send();
echo json_encode(['secure' => $m->SMTPSecure, 'auth' => $m->SMTPAuth, 'user' => $m->Username, 'charset' => $m->CharSet]);
`;

/** PHP runs as a child process while the sandbox answers in this one: spawn, never spawnSync. */
function php(args: string[], env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(PHP, args, { env: { PATH: '/usr/bin:/bin', LANG: 'C.UTF-8', ...env }, timeout: 30_000 });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', (e) => reject(new Error(`${PHP} could not run (${e.message}): ${INSTALL}`)));
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`php exited ${code}: ${(err || out).slice(0, 2000)}`))));
  });
}

describe('perfex options through PHPMailer (libphp-phpmailer) to the sandbox', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    requireTool('PHP with PHPMailer (php-cli, libphp-phpmailer)', PHP, ['-r', `require '${AUTOLOAD}'; new PHPMailer\\PHPMailer\\PHPMailer();`]);
    sb = await startSandbox({ users: [{ username: 'crm-login', password: `p@ss'w"o\\rd $1 é` }] });
  });
  afterAll(async () => {
    await sb?.close();
  });

  function profile(encryption: 'ssl' | 'starttls'): Profile {
    return {
      name: `perfex-${encryption}`,
      transport: 'smtp',
      host: 'localhost',
      port: encryption === 'ssl' ? sb.smtp.ssl.port : sb.smtp.starttls.port,
      encryption,
      // a login that is not the address (the seed's Exchange case): smtp_username is written
      auth: { method: 'login', username: 'crm-login', password: new Secret({ kind: 'env', name: 'SMTP_PASSWORD' }) },
      from: { address: `crm@${sb.domain}`, name: 'Acme CRM' },
      bcc: ['archive@example.test', 'audit@example.test'],
      charset: 'utf-8',
      message: { signature: '<p>Acme</p>', header: '<div>', footer: '</div>' },
    };
  }

  it.each([
    ['ssl', 465, 'ssl', 'ssl'],
    ['starttls', 587, 'tls', 'starttls'],
  ] as const)('%s (the seed\'s %s): SMTPSecure %s, login and envelope as rendered', async (encryption, _port, secure, listener) => {
    const out = render(profile(encryption), 'perfex', { secrets: 'ref' });
    const json = out.files.find((f) => f.name === 'perfex-options.json')!.content;
    const options = JSON.parse(json) as Record<string, string>;
    expect(options.smtp_password).toBeUndefined();
    expect(options.smtp_encryption).toBe(secure);
    const dir = folder({ 'perfex-options.json': json, 'send.php': SCRIPT });
    const to = `rcpt-${encryption}@example.test`;
    const before = sb.messages.length;
    const r = JSON.parse(await php([`${dir}/send.php`, `${dir}/perfex-options.json`, sb.caPath, to], { PERFEX_SMTP_PASSWORD: sb.users[0]!.password })) as Record<string, unknown>;
    expect(r).toEqual({ secure, auth: true, user: 'crm-login', charset: 'UTF-8' });
    const got = sb.messages.slice(before).find((m) => m.envelope.to.includes(to));
    expect(got).toBeDefined();
    expect({ listener: got!.listener, secure: got!.secure, authUser: got!.authUser }).toEqual({ listener, secure: true, authUser: 'crm-login' });
    expect(got!.envelope.from).toBe(`crm@${sb.domain}`);
    expect([...got!.envelope.to].sort()).toEqual(['archive@example.test', 'audit@example.test', to].sort());
    const raw = got!.raw.toString('utf8');
    expect(raw).toMatch(/charset=utf-8/i);
    expect(raw).toContain(`From: Acme CRM <crm@${sb.domain}>`);
    expect(raw).not.toMatch(/^Bcc:/im);
  });

  it('a wrong password is refused by the sandbox: the rendered login is the one tried', async () => {
    const json = render(profile('ssl'), 'perfex', { secrets: 'ref' }).files.find((f) => f.name === 'perfex-options.json')!.content;
    const dir = folder({ 'perfex-options.json': json, 'send.php': SCRIPT });
    const before = sb.sessions.length;
    await expect(php([`${dir}/send.php`, `${dir}/perfex-options.json`, sb.caPath, 'x@example.test'], { PERFEX_SMTP_PASSWORD: 'wrong' })).rejects.toThrow(/php exited/);
    const attempts = sb.sessions.slice(before).flatMap((s) => s.auth);
    expect(attempts.map((a) => [a.username, a.ok, a.secure])).toEqual([['crm-login', false, true]]);
  });
});
