import { phpString } from './escape.ts';
import { banner, defineRenderer } from './model.ts';

// WP Mail SMTP (4.4) constants: WPMS_SSL is handed to PHPMailer, where 'tls' = STARTTLS (required)
// and 'ssl' = implicit TLS; WPMS_SMTP_AUTH must be a real boolean.
export const renderer = defineRenderer({
  id: 'wordpress',
  title: 'WordPress (WP Mail SMTP)',
  writes: "`wp-mail-smtp.php` define()s WPMS_ON, WPMS_MAILER, WPMS_SMTP_HOST, WPMS_SMTP_PORT, WPMS_SSL, WPMS_SMTP_AUTH, WPMS_SMTP_USER/PASS, WPMS_MAIL_FROM…",
  status: 'verified',
  cannot: {
    'tls.verify': 'no WPMS_* constant (only PHPMailer SMTPOptions through a filter)',
    'tls.ca': 'no WPMS_* constant',
    'tls.servername': 'no WPMS_* constant',
    'tls.minVersion': 'no WPMS_* constant',
    'auth.xoauth2': "the 'smtp' mailer logs in with a password; OAuth2 is the plugin's Gmail/Outlook mailers",
    'auth.method': 'no WPMS_* constant; PHPMailer picks from what the server offers',
    replyTo: 'no WPMS_* constant',
    bcc: 'no WPMS_* constant',
    charset: 'WordPress sets the charset (blog_charset)',
    ehlo: 'no WPMS_* constant',
    timeouts: 'no WPMS_* constant',
  },
  build(ctx) {
    const { m } = ctx;
    const s = phpString;
    const defs: [string, string][] = [
      ['WPMS_ON', 'true'],
      ['WPMS_MAILER', s('smtp')],
      ['WPMS_SMTP_HOST', s(m.host)],
      ['WPMS_SMTP_PORT', String(m.port)],
      ['WPMS_SSL', s(m.encryption === 'ssl' ? 'ssl' : m.encryption === 'starttls' ? 'tls' : '')],
      ['WPMS_SMTP_AUTOTLS', 'false'],
      ['WPMS_SMTP_AUTH', m.auth === 'password' ? 'true' : 'false'],
    ];
    if (m.auth === 'password') {
      if (m.username !== undefined) defs.push(['WPMS_SMTP_USER', s(m.username)]);
      const password = ctx.secret('password', {
        literal: s,
        env: (name) => `getenv(${s(name)})`,
        file: (path) => `rtrim(file_get_contents(${s(path)}), "\\r\\n")`,
      });
      if (password !== undefined) defs.push(['WPMS_SMTP_PASS', password]);
    }
    if (m.from) defs.push(['WPMS_MAIL_FROM', s(m.from.address)], ['WPMS_MAIL_FROM_FORCE', 'true'], ['WPMS_SET_RETURN_PATH', 'true']);
    if (m.from?.name) defs.push(['WPMS_MAIL_FROM_NAME', s(m.from.name)], ['WPMS_MAIL_FROM_NAME_FORCE', 'true']);
    const content = [
      '<?php',
      `// ${banner('WP Mail SMTP', m)}`,
      "// Load it from wp-config.php, above \"That's all, stop editing!\": require_once __DIR__ . '/wp-mail-smtp.php';",
      ...defs.map(([k, v]) => `define( ${s(k)}, ${v} );`),
      '',
    ].join('\n');
    return [{ name: 'wp-mail-smtp.php', content }];
  },
});
