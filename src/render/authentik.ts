import { dotenvFile, dotenvStyle, raw, type Line } from './formats.ts';
import { banner, defineRenderer, mailbox, seconds, singleTimeout } from './model.ts';

// goauthentik authentik/lib/default.yml `email:` block (Django semantics): USE_TLS = STARTTLS,
// USE_SSL = implicit TLS, mutually exclusive.
export const renderer = defineRenderer({
  id: 'authentik',
  title: 'authentik',
  writes: '`.env` lines AUTHENTIK_EMAIL__HOST, __PORT, __USERNAME, __PASSWORD, __USE_TLS, __USE_SSL, __TIMEOUT, __FROM',
  status: 'verified',
  cannot: {
    'tls.verify': 'no AUTHENTIK_EMAIL__* variable (Django SMTP backend semantics)',
    'tls.ca': 'no AUTHENTIK_EMAIL__* variable',
    'tls.servername': 'no AUTHENTIK_EMAIL__* variable',
    'tls.minVersion': 'no AUTHENTIK_EMAIL__* variable',
    'auth.xoauth2': 'authentik logs in with a password only',
    'auth.method': "no AUTHENTIK_EMAIL__* variable; Django's smtplib tries the mechanisms the server offers",
    replyTo: 'no AUTHENTIK_EMAIL__* variable',
    bcc: 'no AUTHENTIK_EMAIL__* variable',
    charset: 'authentik writes UTF-8',
    ehlo: 'no AUTHENTIK_EMAIL__* variable',
  },
  build(ctx) {
    const { m } = ctx;
    const timeout = singleTimeout(m.timeouts);
    const lines: Line[] = [
      banner('authentik', m),
      ['AUTHENTIK_EMAIL__HOST', m.host],
      ['AUTHENTIK_EMAIL__PORT', m.port],
    ];
    if (m.auth === 'password') {
      lines.push(
        ['AUTHENTIK_EMAIL__USERNAME', m.username],
        ['AUTHENTIK_EMAIL__PASSWORD', raw(ctx.secret('password', dotenvStyle('compose')))],
      );
    }
    lines.push(
      ['AUTHENTIK_EMAIL__USE_TLS', m.encryption === 'starttls'],
      ['AUTHENTIK_EMAIL__USE_SSL', m.encryption === 'ssl'],
      ['AUTHENTIK_EMAIL__TIMEOUT', timeout !== undefined ? seconds(timeout) : undefined],
      ['AUTHENTIK_EMAIL__FROM', m.from ? mailbox(m.from) : undefined],
    );
    return [{ name: '.env', content: dotenvFile(lines, 'compose') }];
  },
});
