import { yamlString } from './escape.ts';
import { raw, yamlMap, type Line } from './formats.ts';
import { banner, defineRenderer, seconds } from './model.ts';
import { RUBY_AUTH } from './ruby.ts';

// discourse_docker samples/standalone.yml + app/models/global_setting.rb: DISCOURSE_SMTP_* are
// env entries of containers/app.yml; "true"/"false" and digits are coerced. Force TLS is
// implicit TLS; start TLS is opportunistic only. app.yml expands no variables.
export const renderer = defineRenderer({
  id: 'discourse',
  title: 'Discourse',
  writes: '`app.yml` env: entries DISCOURSE_SMTP_ADDRESS, _PORT, _USER_NAME, _PASSWORD, _ENABLE_START_TLS, _FORCE_TLS, DISCOURSE_NOTIFICATION_EMAIL…',
  status: 'verified',
  cannot: {
    'tls.ca': 'no DISCOURSE_SMTP_* variable',
    'tls.servername': 'no DISCOURSE_SMTP_* variable',
    'tls.minVersion': 'no DISCOURSE_SMTP_* variable',
    'auth.xoauth2': 'DISCOURSE_SMTP_AUTHENTICATION has plain, login and cram_md5 only',
    'from.name': 'the display name is the site title (site setting), not mail config',
    replyTo: 'no DISCOURSE_SMTP_* variable',
    bcc: 'no DISCOURSE_SMTP_* variable',
    charset: 'Discourse writes UTF-8',
  },
  limits: ['encryption: starttls is opportunistic (no way to require it)'],
  build(ctx) {
    const { m } = ctx;
    if (m.encryption === 'starttls') {
      ctx.warn('encryption', 'Discourse uses STARTTLS when offered but cannot require it (DISCOURSE_SMTP_ENABLE_START_TLS is opportunistic)');
    }
    const lines: Line[] = [
      ['DISCOURSE_SMTP_ADDRESS', m.host],
      ['DISCOURSE_SMTP_PORT', m.port],
    ];
    if (m.auth === 'password') {
      lines.push(
        ['DISCOURSE_SMTP_USER_NAME', m.username],
        ['DISCOURSE_SMTP_PASSWORD', raw(ctx.secret('password', { literal: yamlString }))],
        ['DISCOURSE_SMTP_AUTHENTICATION', RUBY_AUTH[m.method] ?? 'plain'],
      );
    }
    lines.push(
      // with force TLS, start TLS off: older releases raise when both are on
      ['DISCOURSE_SMTP_ENABLE_START_TLS', m.encryption === 'starttls'],
      ['DISCOURSE_SMTP_FORCE_TLS', m.encryption === 'ssl' ? true : undefined],
      ['DISCOURSE_SMTP_OPENSSL_VERIFY_MODE', m.encryption !== 'none' ? (m.verify ? 'peer' : 'none') : undefined],
      ['DISCOURSE_SMTP_DOMAIN', m.ehlo],
      ['DISCOURSE_SMTP_OPEN_TIMEOUT', m.timeouts.connect !== undefined ? seconds(m.timeouts.connect) : undefined],
      ['DISCOURSE_SMTP_READ_TIMEOUT', m.timeouts.command !== undefined ? seconds(m.timeouts.command) : undefined],
      ['DISCOURSE_NOTIFICATION_EMAIL', m.from?.address],
    );
    const content = [`# ${banner('Discourse', m)}`, '# Merge these entries into the env: section of containers/app.yml.', 'env:', yamlMap(lines, '  '), ''].join('\n');
    return [{ name: 'app.yml', content }];
  },
});
