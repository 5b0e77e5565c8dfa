import { dotenvFile, dotenvStyle, raw, type Line } from './formats.ts';
import { banner, defineRenderer, mailbox } from './model.ts';

const O = 'mail__options__';
const AUTH_METHOD: Record<string, string> = { login: 'LOGIN', plain: 'PLAIN', 'cram-md5': 'CRAM-MD5' };

// Ghost's config loader (nconf, separator `__`, values parsed) hands mail.options to Nodemailer,
// so every Nodemailer SMTP option is reachable (derived); keys keep their camelCase.
export const renderer = defineRenderer({
  id: 'ghost',
  title: 'Ghost',
  writes: '`.env` lines mail__transport, mail__options__* (Nodemailer options), mail__from',
  status: 'verified',
  // Ghost hands mail.options to nodemailer's createTransport, so nodemailer's OAuth2 auth applies
  xoauth2: { support: 'yes', note: "mail.options.auth is nodemailer's: type OAuth2 refreshes the access token itself (nodemailer lib/xoauth2)" },
  cannot: {
    'tls.ca': 'Nodemailer needs the PEM contents, which an environment variable cannot load from a path',
    replyTo: 'no mail config key',
    bcc: 'no mail config key',
    charset: 'Nodemailer writes UTF-8',
  },
  build(ctx) {
    const { m } = ctx;
    const style = dotenvStyle('compose');
    const lines: Line[] = [
      banner('Ghost', m),
      'Options below mail__options__ are passed to Nodemailer (requireTLS, ignoreTLS, tls__*, name: derived from Nodemailer).',
      ['mail__transport', 'SMTP'],
      [`${O}host`, m.host],
      [`${O}port`, m.port],
      [`${O}secure`, m.encryption === 'ssl'],
      [`${O}requireTLS`, m.encryption === 'starttls' ? true : undefined],
      [`${O}ignoreTLS`, m.encryption === 'none' ? true : undefined],
    ];
    if (m.auth === 'password') {
      lines.push(
        [`${O}auth__user`, m.username],
        [`${O}auth__pass`, raw(ctx.secret('password', style))],
        [`${O}authMethod`, AUTH_METHOD[m.method]],
      );
    } else if (m.auth === 'xoauth2') {
      const a = m.profile.auth!;
      lines.push(
        [`${O}auth__type`, 'OAuth2'],
        [`${O}auth__user`, m.username],
        [`${O}auth__clientId`, a.clientId],
        [`${O}auth__clientSecret`, raw(ctx.secret('clientSecret', style))],
        [`${O}auth__refreshToken`, raw(ctx.secret('refreshToken', style))],
        [`${O}auth__accessToken`, raw(ctx.secret('accessToken', style))],
        [`${O}auth__accessUrl`, a.tokenUrl],
      );
    }
    if (m.encryption !== 'none') {
      lines.push(
        [`${O}tls__rejectUnauthorized`, m.verify],
        [`${O}tls__servername`, m.servername],
        [`${O}tls__minVersion`, m.minVersion],
      );
    }
    lines.push(
      [`${O}name`, m.ehlo],
      [`${O}connectionTimeout`, m.timeouts.connect],
      [`${O}greetingTimeout`, m.timeouts.greeting],
      [`${O}socketTimeout`, m.timeouts.command],
      ['mail__from', m.from ? mailbox(m.from) : undefined],
    );
    return [{ name: '.env', content: dotenvFile(lines, 'compose') }];
  },
});
