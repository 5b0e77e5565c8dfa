import { dotenvFile, dotenvStyle, raw, type Line } from './formats.ts';
import { banner, defineRenderer, mailbox } from './model.ts';
import { RUBY_AUTH } from './ruby.ts';

// mastodon config/environments/production.rb (mail gem): SMTP_TLS is implicit TLS and must come
// with SMTP_ENABLE_STARTTLS=never (the mail gem rejects TLS plus a truthy STARTTLS flag, and the
// auto flag defaults on); SMTP_ENABLE_STARTTLS=always requires STARTTLS (4.0+).
export const renderer = defineRenderer({
  id: 'mastodon',
  title: 'Mastodon',
  writes: '`.env.production` lines SMTP_SERVER, SMTP_PORT, SMTP_LOGIN, SMTP_PASSWORD, SMTP_ENABLE_STARTTLS, SMTP_TLS, SMTP_FROM_ADDRESS…',
  status: 'verified',
  cannot: {
    'tls.servername': 'no SMTP_* variable',
    'tls.minVersion': 'no SMTP_* variable',
    'auth.xoauth2': 'SMTP_AUTH_METHOD has plain, login and cram_md5 only',
    bcc: 'no SMTP_* variable',
    charset: 'Mastodon writes UTF-8',
    timeouts: 'no SMTP_* variable',
  },
  build(ctx) {
    const { m } = ctx;
    const style = dotenvStyle('ruby');
    const lines: Line[] = [
      banner('Mastodon', m),
      ['SMTP_DELIVERY_METHOD', 'smtp'],
      ['SMTP_SERVER', m.host],
      ['SMTP_PORT', m.port],
    ];
    if (m.auth === 'password') {
      lines.push(
        ['SMTP_LOGIN', m.username],
        ['SMTP_PASSWORD', raw(ctx.secret('password', style))],
        ['SMTP_AUTH_METHOD', RUBY_AUTH[m.method] ?? 'plain'],
      );
    } else if (m.auth === 'none') {
      lines.push(['SMTP_AUTH_METHOD', 'none']);
    }
    lines.push(
      ['SMTP_ENABLE_STARTTLS', m.encryption === 'starttls' ? 'always' : 'never'],
      ['SMTP_TLS', m.encryption === 'ssl' ? true : undefined],
    );
    if (m.encryption !== 'none') {
      lines.push(['SMTP_OPENSSL_VERIFY_MODE', m.verify ? 'peer' : 'none'], ['SMTP_CA_FILE', m.ca]);
    }
    lines.push(
      ['SMTP_DOMAIN', m.ehlo],
      ['SMTP_FROM_ADDRESS', m.from ? mailbox(m.from) : undefined],
      ['SMTP_REPLY_TO', m.replyTo],
    );
    return [{ name: '.env.production', content: dotenvFile(lines, 'ruby') }];
  },
});
