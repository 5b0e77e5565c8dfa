import { dotenvFile, dotenvStyle, raw, type Line } from './formats.ts';
import { banner, defineRenderer, mailbox } from './model.ts';

const K = 'GITEA__mailer__';

// go-gitea modules/setting/mailer.go + services/mailer/sender/smtp.go (1.19+ keys), written in the
// env form the official image turns into app.ini [mailer] (environment-to-ini). Forgejo reads
// the same keys under FORGEJO__mailer__.
export const renderer = defineRenderer({
  id: 'gitea',
  title: 'Gitea / Forgejo',
  writes: '`.env` lines GITEA__mailer__ENABLED, PROTOCOL (smtps|smtp+starttls|smtp), SMTP_ADDR, SMTP_PORT, USER, PASSWD, FROM…',
  status: 'verified',
  cannot: {
    'tls.ca': 'no [mailer] key; Gitea uses the system trust store',
    'tls.servername': 'no [mailer] key',
    'tls.minVersion': 'no [mailer] key',
    'auth.xoauth2': 'the SMTP sender logs in with a password only',
    'auth.method': 'no [mailer] key; Gitea picks from what the server offers',
    replyTo: 'no [mailer] key',
    bcc: 'no [mailer] key',
    charset: 'Gitea writes UTF-8',
    timeouts: 'no [mailer] key',
  },
  limits: ['encryption: starttls is not strictly required (the sender falls back to plain text with a warning when it is not offered)'],
  build(ctx) {
    const { m } = ctx;
    if (m.encryption === 'starttls') {
      ctx.warn('encryption', 'Gitea with PROTOCOL=smtp+starttls falls back to plain text (with a log warning) when STARTTLS is not offered: it cannot require STARTTLS');
    }
    const style = dotenvStyle('compose');
    const lines: Line[] = [
      banner('Gitea', m),
      'For Forgejo, rename the prefix to FORGEJO__mailer__.',
      [`${K}ENABLED`, true],
      [`${K}PROTOCOL`, m.encryption === 'ssl' ? 'smtps' : m.encryption === 'starttls' ? 'smtp+starttls' : 'smtp'],
      [`${K}SMTP_ADDR`, m.host],
      [`${K}SMTP_PORT`, m.port],
    ];
    if (m.auth === 'password') {
      lines.push([`${K}USER`, m.username], [`${K}PASSWD`, raw(ctx.secret('password', style))]);
    }
    lines.push(
      [`${K}FROM`, m.from ? mailbox(m.from) : undefined],
      [`${K}FORCE_TRUST_SERVER_CERT`, m.encryption !== 'none' ? !m.verify : undefined],
      [`${K}ENABLE_HELO`, m.ehlo !== undefined ? true : undefined],
      [`${K}HELO_HOSTNAME`, m.ehlo],
    );
    return [{ name: '.env', content: dotenvFile(lines, 'compose') }];
  },
});
