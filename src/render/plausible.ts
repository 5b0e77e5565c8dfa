import { dotenvFile, dotenvStyle, raw, type Line } from './formats.ts';
import { banner, defineRenderer } from './model.ts';

// plausible/analytics config/runtime.exs (CE, Bamboo.Mua): SMTP_HOST_SSL_ENABLED is implicit TLS
// (written explicitly, so the port-465 default never decides); user and password go together.
export const renderer = defineRenderer({
  id: 'plausible',
  title: 'Plausible CE',
  writes: '`.env` lines MAILER_ADAPTER, SMTP_HOST_ADDR, SMTP_HOST_PORT, SMTP_HOST_SSL_ENABLED, SMTP_USER_NAME, SMTP_USER_PWD, MAILER_EMAIL, MAILER_NAME',
  status: 'verified',
  cannot: {
    'tls.verify': 'no SMTP_* variable',
    'tls.ca': 'no SMTP_* variable',
    'tls.servername': 'no SMTP_* variable',
    'tls.minVersion': 'no SMTP_* variable',
    'auth.xoauth2': 'Plausible logs in with a password only',
    'auth.method': 'no SMTP_* variable; the client picks from what the server offers',
    replyTo: 'no variable',
    bcc: 'no variable',
    charset: 'Plausible writes UTF-8',
    ehlo: 'no variable',
    timeouts: 'no variable',
  },
  limits: ['encryption: starttls required / none forced (the Mua adapter\'s STARTTLS behaviour is unverified)'],
  build(ctx) {
    const { m } = ctx;
    if (m.encryption !== 'ssl') {
      ctx.warn('encryption', `Plausible (Bamboo.Mua) has no STARTTLS setting and its behaviour on plain connections is unverified: encryption: ${m.encryption} may not be honoured`);
    }
    const lines: Line[] = [
      banner('Plausible CE', m),
      ['MAILER_ADAPTER', 'Bamboo.Mua'],
      ['SMTP_HOST_ADDR', m.host],
      ['SMTP_HOST_PORT', m.port],
      ['SMTP_HOST_SSL_ENABLED', m.encryption === 'ssl'],
    ];
    if (m.auth === 'password') {
      lines.push(['SMTP_USER_NAME', m.username], ['SMTP_USER_PWD', raw(ctx.secret('password', dotenvStyle('compose')))]);
    }
    lines.push(['MAILER_EMAIL', m.from?.address], ['MAILER_NAME', m.from?.name]);
    return [{ name: '.env', content: dotenvFile(lines, 'compose') }];
  },
});
