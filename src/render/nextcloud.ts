import { phpString } from './escape.ts';
import { banner, defineRenderer, seconds, singleTimeout } from './model.ts';

// nextcloud/server lib/private/Mail/Mailer.php (26+, Symfony Mailer): mail_smtpsecure 'ssl' is
// implicit TLS on any port; otherwise Symfony connects in plain text and upgrades when STARTTLS
// is offered (and uses implicit TLS on 465). Nextcloud merges every config/*.config.php.
export const renderer = defineRenderer({
  id: 'nextcloud',
  title: 'Nextcloud',
  writes: '`config/mail.config.php`: mail_smtpmode, mail_smtphost, mail_smtpport, mail_smtpsecure, mail_smtpauth, mail_smtpname/password, mail_from_address + mail_domain',
  status: 'verified',
  cannot: {
    'auth.xoauth2': 'Nextcloud logs in with a password only',
    'auth.method': 'no mail_* key; Symfony Mailer tries the mechanisms the server offers',
    'from.name': 'the display name is the instance (theming) name',
    replyTo: 'no mail_* key',
    bcc: 'no mail_* key',
    charset: 'Nextcloud writes UTF-8',
    ehlo: 'no mail_* key',
    'tls.minVersion': 'no mail_* key',
  },
  limits: [
    'encryption: starttls is opportunistic, none cannot be forced (Symfony auto-STARTTLS, nextcloud/server#50633)',
    'encryption: starttls or none on port 465',
  ],
  build(ctx) {
    const { m } = ctx;
    if (m.encryption !== 'ssl' && m.port === 465) {
      ctx.warn('encryption', `Nextcloud (Symfony Mailer) uses implicit TLS on port 465: encryption: ${m.encryption} cannot be expressed there`);
    } else if (m.encryption === 'starttls') {
      ctx.warn('encryption', 'Nextcloud uses STARTTLS when offered but cannot require it');
    } else if (m.encryption === 'none') {
      ctx.warn('encryption', 'Nextcloud upgrades to STARTTLS whenever it is offered (no way to disable it): encryption: none cannot be forced');
    }
    const s = phpString;
    const entries: [string, string][] = [
      ['mail_smtpmode', s('smtp')],
      ['mail_smtphost', s(m.host)],
      ['mail_smtpport', String(m.port)],
      ['mail_smtpsecure', s(m.encryption === 'ssl' ? 'ssl' : '')],
      ['mail_smtpauth', m.auth === 'password' ? 'true' : 'false'],
    ];
    if (m.auth === 'password') {
      if (m.username !== undefined) entries.push(['mail_smtpname', s(m.username)]);
      const password = ctx.secret('password', {
        literal: s,
        env: (name) => `getenv(${s(name)})`,
        file: (path) => `rtrim(file_get_contents(${s(path)}), "\\r\\n")`,
      });
      if (password !== undefined) entries.push(['mail_smtppassword', password]);
    }
    const timeout = singleTimeout(m.timeouts);
    if (timeout !== undefined) entries.push(['mail_smtptimeout', String(seconds(timeout))]);
    const ssl: string[] = [];
    if (m.encryption !== 'none') {
      if (!m.verify) ssl.push("'verify_peer' => false", "'verify_peer_name' => false", "'allow_self_signed' => true");
      if (m.ca !== undefined) ssl.push(`'cafile' => ${s(m.ca)}`);
      if (m.servername !== undefined) ssl.push(`'peer_name' => ${s(m.servername)}`);
    }
    if (ssl.length) entries.push(['mail_smtpstreamoptions', `array(\n    'ssl' => array(\n${ssl.map((x) => `      ${x},`).join('\n')}\n    ),\n  )`]);
    if (m.from) {
      const at = m.from.address.lastIndexOf('@');
      entries.push(['mail_from_address', s(m.from.address.slice(0, at))], ['mail_domain', s(m.from.address.slice(at + 1))]);
    }
    const content = [
      '<?php',
      `// ${banner('Nextcloud', m)}`,
      '$CONFIG = array(',
      ...entries.map(([k, v]) => `  ${s(k)} => ${v},`),
      ');',
      '',
    ].join('\n');
    return [{ name: 'mail.config.php', content }];
  },
});
