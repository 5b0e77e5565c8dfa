import { dotenvFile, dotenvStyle, raw, type Line } from './formats.ts';
import { banner, defineRenderer } from './model.ts';

// supabase/auth internal/mailer (gomail.v2 dialer): port 465 = implicit TLS, any other port =
// STARTTLS when offered. There is no TLS-mode or verification setting at all.
export const renderer = defineRenderer({
  id: 'supabase',
  title: 'Supabase Auth (GoTrue)',
  writes: '`.env` lines GOTRUE_SMTP_HOST, _PORT, _USER, _PASS, _ADMIN_EMAIL, _SENDER_NAME',
  status: 'verified',
  cannot: {
    'tls.verify': 'GoTrue has no setting to skip certificate verification',
    'tls.ca': 'no GOTRUE_SMTP_* variable',
    'tls.servername': 'no GOTRUE_SMTP_* variable',
    'tls.minVersion': 'no GOTRUE_SMTP_* variable',
    'auth.xoauth2': 'GoTrue logs in with a password only',
    'auth.method': 'no GOTRUE_SMTP_* variable; gomail picks from what the server offers',
    replyTo: 'no GOTRUE_SMTP_* variable',
    bcc: 'no GOTRUE_SMTP_* variable',
    charset: 'GoTrue writes UTF-8',
    ehlo: 'no GOTRUE_SMTP_* variable',
    timeouts: 'no GOTRUE_SMTP_* variable',
  },
  limits: [
    'encryption: ssl on a port other than 465 (the port alone picks implicit TLS)',
    'encryption: starttls is opportunistic; none cannot be forced',
  ],
  build(ctx) {
    const { m } = ctx;
    if (m.encryption === 'ssl' && m.port !== 465) {
      ctx.warn('encryption', `GoTrue uses implicit TLS only on port 465: encryption: ssl on port ${m.port} cannot be expressed`);
    } else if (m.encryption !== 'ssl' && m.port === 465) {
      ctx.warn('encryption', `GoTrue always uses implicit TLS on port 465: encryption: ${m.encryption} cannot be expressed there`);
    } else if (m.encryption === 'starttls') {
      ctx.warn('encryption', 'GoTrue uses STARTTLS when offered but cannot require it');
    } else if (m.encryption === 'none') {
      ctx.warn('encryption', 'GoTrue upgrades to STARTTLS whenever it is offered: encryption: none cannot be forced');
    }
    const lines: Line[] = [
      banner('Supabase Auth (GoTrue)', m),
      'Self-hosted docker-compose: the same values go in .env as SMTP_HOST, SMTP_PORT, SMTP_USER, SMTP_PASS, SMTP_ADMIN_EMAIL, SMTP_SENDER_NAME.',
      ['GOTRUE_SMTP_HOST', m.host],
      ['GOTRUE_SMTP_PORT', m.port],
    ];
    if (m.auth === 'password') {
      lines.push(['GOTRUE_SMTP_USER', m.username], ['GOTRUE_SMTP_PASS', raw(ctx.secret('password', dotenvStyle('compose')))]);
    }
    lines.push(['GOTRUE_SMTP_ADMIN_EMAIL', m.from?.address], ['GOTRUE_SMTP_SENDER_NAME', m.from?.name]);
    return [{ name: '.env', content: dotenvFile(lines, 'compose') }];
  },
});
