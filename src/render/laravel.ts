import { dotenvFile, dotenvStyle, raw, type Line } from './formats.ts';
import type { Encryption } from '../types.ts';
import { banner, defineRenderer } from './model.ts';

// laravel/framework MailManager::createSmtpTransport hands the mailer config to Symfony's
// EsmtpTransportFactory: `smtp` (plain, then STARTTLS when offered; 465 means implicit TLS) or
// `smtps`. MAIL_SCHEME is read by 11.36+, MAIL_ENCRYPTION by ≤11.35 (≤8: tls/ssl/null as in
// SwiftMailer; 9–11.35: only `tls` is acted on). Both are written so every major reads one.
// Laravel 9.0.0–9.0.2 (laravel/framework#40943, fixed in 9.1.0) and 11.35.0 (#53749, reverted by
// #53863 in 11.35.1) turn MAIL_ENCRYPTION=tls into smtps:// (implicit TLS) on every port, so
// STARTTLS is written as MAIL_ENCRYPTION=null: Symfony Mailer's smtp:// upgrades when offered,
// which is what `tls` does on the other 9+ versions.
/** MAIL_ENCRYPTION for the version read: `tls` only where it means what the profile means. */
function encryptionValue(encryption: Encryption, tlsIsImplicit: boolean, swift: boolean): string {
  if (swift) return encryption === 'ssl' ? 'ssl' : encryption === 'starttls' ? 'tls' : 'null';
  // 9.0.0–9.0.2 and 11.35.0 read `tls` as implicit TLS on any port: exactly what ssl means
  if (encryption === 'ssl') return tlsIsImplicit ? 'tls' : 'ssl';
  return 'null';
}

export const renderer = defineRenderer({
  id: 'laravel',
  title: 'Laravel',
  writes: '`.env` lines MAIL_MAILER, MAIL_SCHEME, MAIL_ENCRYPTION, MAIL_HOST, MAIL_PORT, MAIL_USERNAME, MAIL_PASSWORD, MAIL_FROM_*',
  status: 'verified',
  cannot: {
    'tls.verify': "no MAIL_* variable; add 'verify_peer' => false to mailers.smtp in config/mail.php",
    'tls.ca': 'no MAIL_* variable; Symfony Mailer uses the system trust store',
    'tls.servername': 'no MAIL_* variable',
    'tls.minVersion': 'no MAIL_* variable',
    'auth.xoauth2': 'the SMTP mailer has no token refresh; use a provider API mailer or an app password',
    'auth.method': 'no MAIL_* variable; Symfony Mailer tries the mechanisms the server offers',
    replyTo: "no MAIL_* variable; set 'reply_to' in config/mail.php",
    bcc: 'no MAIL_* variable; add the BCC in the Mailable',
    charset: 'Symfony Mailer always writes UTF-8',
    timeouts: "no MAIL_* variable; set 'timeout' (seconds) on mailers.smtp in config/mail.php",
  },
  versions: [
    { below: '9', reads: 'SwiftMailer: MAIL_ENCRYPTION=tls is STARTTLS and null is no TLS at all (not supported: end of life)' },
    { from: '9.0.0', below: '9.1', reads: 'MAIL_ENCRYPTION=tls means implicit TLS (smtps://) on every port' },
    { from: '9.1', below: '11.36', reads: 'MAIL_SCHEME is ignored; implicit TLS only on port 465' },
    { from: '11.35.0', below: '11.35.1', reads: 'MAIL_ENCRYPTION=tls means implicit TLS (smtps://) on every port' },
    { from: '11.36', reads: 'MAIL_SCHEME=smtps|smtp picks implicit TLS or plain-then-STARTTLS on any port' },
  ],
  limits: [
    'encryption: ssl on a port other than 465 before Laravel 11.36',
    'encryption: starttls is opportunistic (require_tls needs config/mail.php and Symfony 7.3)',
    'encryption: none (Symfony upgrades to STARTTLS when offered) and anything but ssl on port 465',
  ],
  build(ctx) {
    const { m } = ctx;
    const style = dotenvStyle('php');
    if (m.port === 465 && m.encryption !== 'ssl') {
      ctx.warn('encryption', `Laravel (Symfony Mailer) always uses implicit TLS on port 465, so encryption: ${m.encryption} cannot be expressed there`);
    }
    const tlsIsImplicit = ctx.versionIn('9.0.0', '9.1') === true || ctx.versionIn('11.35.0', '11.35.1') === true;
    const swift = ctx.versionIn(undefined, '9') === true;
    if (m.encryption === 'ssl' && m.port !== 465 && !tlsIsImplicit && ctx.versionIn('11.36', undefined) !== true && !swift) {
      ctx.warn('encryption', `Laravel 9–11.35 chooses implicit TLS only on port 465; MAIL_SCHEME=smtps takes effect from Laravel 11.36${ctx.version ? ` (target version ${ctx.version})` : ''}`);
    }
    if (m.encryption === 'starttls') {
      ctx.warn('encryption', "Laravel (Symfony Mailer) uses STARTTLS when offered but does not require it; add 'require_tls' => true to mailers.smtp in config/mail.php (Symfony 7.3+)");
    }
    if (m.encryption === 'none' && m.port !== 465) {
      ctx.warn('encryption', "Laravel (Symfony Mailer) upgrades to STARTTLS when offered; add 'auto_tls' => false to mailers.smtp in config/mail.php (Symfony 7.1+) to stay in plain text");
    }
    const password = m.auth === 'password' ? ctx.secret('password', style) : undefined;
    const lines: Line[] = [
      banner('Laravel', m),
      ['MAIL_MAILER', 'smtp'],
      ['MAIL_SCHEME', m.encryption === 'ssl' ? 'smtps' : 'smtp'],
      ['MAIL_ENCRYPTION', encryptionValue(m.encryption, tlsIsImplicit, swift)],
      ['MAIL_HOST', m.host],
      ['MAIL_PORT', m.port],
      // env() turns the literal `null` into PHP null: no AUTH
      ['MAIL_USERNAME', m.auth === 'password' ? m.username : m.auth === 'none' ? 'null' : m.username],
      ['MAIL_PASSWORD', m.auth === 'password' ? raw(password ?? 'null') : m.auth === 'none' ? 'null' : undefined],
      ['MAIL_EHLO_DOMAIN', m.ehlo],
      ['MAIL_FROM_ADDRESS', m.from?.address],
      ['MAIL_FROM_NAME', m.from?.name],
    ];
    return [{ name: '.env', content: dotenvFile(lines, 'php') }];
  },
});
