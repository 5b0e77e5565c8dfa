import { dotenvFile, dotenvStyle, raw, type Line } from './formats.ts';
import { banner, defineRenderer, mailbox } from './model.ts';

// @n8n/config user-management.config + node-mailer.ts: N8N_SMTP_SSL is Nodemailer `secure` and
// defaults to true (so it is always written); N8N_SMTP_STARTTLS=false is `ignoreTLS`.
export const renderer = defineRenderer({
  id: 'n8n',
  title: 'n8n (user-management mail)',
  writes: '`.env` lines N8N_EMAIL_MODE, N8N_SMTP_HOST, _PORT, _SSL, _STARTTLS, _USER, _PASS, _SENDER',
  status: 'verified',
  cannot: {
    'tls.verify': 'no N8N_SMTP_* variable for system mail',
    'tls.ca': 'no N8N_SMTP_* variable (NODE_EXTRA_CA_CERTS works process-wide)',
    'tls.servername': 'no N8N_SMTP_* variable',
    'tls.minVersion': 'no N8N_SMTP_* variable',
    'auth.xoauth2': 'n8n has an OAuth2 service-account mode, not XOAUTH2 with a refresh token',
    'auth.method': 'no N8N_SMTP_* variable; nodemailer picks from what the server offers',
    replyTo: 'no N8N_SMTP_* variable',
    bcc: 'no N8N_SMTP_* variable',
    charset: 'n8n writes UTF-8',
    ehlo: 'no N8N_SMTP_* variable',
    timeouts: 'no N8N_SMTP_* variable',
  },
  limits: ['encryption: starttls is opportunistic (no requireTLS)'],
  build(ctx) {
    const { m } = ctx;
    if (m.encryption === 'starttls') {
      ctx.warn('encryption', 'n8n uses STARTTLS when offered but cannot require it');
    }
    const lines: Line[] = [
      banner('n8n', m),
      ['N8N_EMAIL_MODE', 'smtp'],
      ['N8N_SMTP_HOST', m.host],
      ['N8N_SMTP_PORT', m.port],
      ['N8N_SMTP_SSL', m.encryption === 'ssl'],
      ['N8N_SMTP_STARTTLS', m.encryption === 'starttls'],
    ];
    if (m.auth === 'password') {
      lines.push(['N8N_SMTP_USER', m.username], ['N8N_SMTP_PASS', raw(ctx.secret('password', dotenvStyle('compose')))]);
    }
    lines.push(['N8N_SMTP_SENDER', m.from ? mailbox(m.from) : undefined]);
    return [{ name: '.env', content: dotenvFile(lines, 'compose') }];
  },
});
