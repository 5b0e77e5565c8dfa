import { dotenvFile, dotenvStyle, raw, type Line } from './formats.ts';
import { banner, defineRenderer } from './model.ts';

// laravel/framework MailManager::createSmtpTransport hands the mailer config to Symfony's
// EsmtpTransportFactory: `smtp` (plain, then STARTTLS when offered; 465 means implicit TLS) or
// `smtps`. MAIL_SCHEME is read by 11.36+, MAIL_ENCRYPTION by ≤11.35 (≤8: tls/ssl/null as in
// SwiftMailer; 9–11.35: only `tls` is acted on). Both are written so every major reads one.
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
    replyTo: "no MAIL_* variable; set 'reply_to' in config/mail.php",
    bcc: 'no MAIL_* variable; add the BCC in the Mailable',
    charset: 'Symfony Mailer always writes UTF-8',
    timeouts: "no MAIL_* variable; set 'timeout' (seconds) on mailers.smtp in config/mail.php",
  },
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
    if (m.encryption === 'ssl' && m.port !== 465) {
      ctx.warn('encryption', 'Laravel 9–11.35 chooses implicit TLS only on port 465; MAIL_SCHEME=smtps takes effect from Laravel 11.36');
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
      ['MAIL_ENCRYPTION', m.encryption === 'ssl' ? 'ssl' : m.encryption === 'starttls' ? 'tls' : 'null'],
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
