import { rubyString } from './escape.ts';
import { banner, defineRenderer, mailbox, seconds } from './model.ts';
import { RUBY_AUTH, rubySecretStyle } from './ruby.ts';

// mikel/mail lib/mail/network/delivery_methods/smtp.rb: `tls: true` is implicit TLS and raises
// ArgumentError together with any truthy STARTTLS flag; `enable_starttls: :always` requires
// STARTTLS (mail 2.8+). Assigning smtp_settings replaces ActionMailer's defaults (where
// enable_starttls_auto is true), so every flag is written explicitly.
export const renderer = defineRenderer({
  id: 'rails',
  title: 'Ruby on Rails (ActionMailer)',
  writes: '`config/initializers/mail.rb`: action_mailer.smtp_settings and default_options (from, reply_to, bcc, charset)',
  status: 'verified',
  cannot: {
    'tls.servername': 'smtp_settings have no SNI option',
    'tls.minVersion': 'smtp_settings have no TLS version option',
    'auth.xoauth2': 'needs a third-party XOAUTH2 authenticator for net-smtp',
  },
  limits: ['encryption: starttls as required needs mail 2.8+ (Rails 7); older mail treats it as a boolean'],
  build(ctx) {
    const { m } = ctx;
    const s = rubyString;
    const settings: [string, string][] = [
      ['address', s(m.host)],
      ['port', String(m.port)],
    ];
    if (m.ehlo !== undefined) settings.push(['domain', s(m.ehlo)]);
    if (m.auth === 'password') {
      if (m.username !== undefined) settings.push(['user_name', s(m.username)]);
      const password = ctx.secret('password', rubySecretStyle);
      if (password !== undefined) settings.push(['password', password]);
      settings.push(['authentication', `:${RUBY_AUTH[m.method] ?? 'login'}`]);
    }
    if (m.encryption === 'ssl') settings.push(['tls', 'true'], ['enable_starttls', 'false'], ['enable_starttls_auto', 'false']);
    if (m.encryption === 'starttls') settings.push(['enable_starttls', ':always']);
    if (m.encryption === 'none') settings.push(['enable_starttls', 'false'], ['enable_starttls_auto', 'false']);
    if (!m.verify) settings.push(['openssl_verify_mode', s('none')]);
    if (m.ca !== undefined) settings.push(['ca_file', s(m.ca)]);
    const open = m.timeouts.connect ?? m.timeouts.greeting;
    if (open !== undefined) settings.push(['open_timeout', String(seconds(open))]);
    if (m.timeouts.command !== undefined) settings.push(['read_timeout', String(seconds(m.timeouts.command))]);

    const defaults: [string, string][] = [];
    if (m.from) defaults.push(['from', s(mailbox(m.from))]);
    if (m.replyTo !== undefined) defaults.push(['reply_to', s(m.replyTo)]);
    if (m.bcc.length > 0) defaults.push(['bcc', `[${m.bcc.map(s).join(', ')}]`]);
    if (m.charset !== undefined) defaults.push(['charset', s(m.charset)]);

    const hash = (pairs: [string, string][]) => pairs.map(([k, v]) => `    ${k}: ${v},`).join('\n');
    const content = [
      `# ${banner('Rails', m)}`,
      'Rails.application.configure do',
      '  config.action_mailer.delivery_method = :smtp',
      '  config.action_mailer.smtp_settings = {',
      hash(settings),
      '  }',
      ...(defaults.length ? ['  config.action_mailer.default_options = {', hash(defaults), '  }'] : []),
      'end',
      '',
    ].join('\n');
    return [{ name: 'mail.rb', content }];
  },
});
