import { yamlString } from './escape.ts';
import { raw, yamlMap, type Line } from './formats.ts';
import { banner, defineRenderer, mailbox, seconds, singleTimeout } from './model.ts';

// getsentry/self-hosted sentry/config.example.yml `mail.*` (Django semantics: use-tls = STARTTLS,
// use-ssl = implicit TLS). config.yml expands no variables.
export const renderer = defineRenderer({
  id: 'sentry',
  title: 'Sentry self-hosted',
  writes: '`config.yml` keys mail.backend, mail.host, mail.port, mail.username, mail.password, mail.use-tls, mail.use-ssl, mail.from, mail.timeout',
  status: 'verified',
  cannot: {
    'tls.verify': 'no mail.* key (Django SMTP backend)',
    'tls.ca': 'no mail.* key',
    'tls.servername': 'no mail.* key',
    'tls.minVersion': 'no mail.* key',
    'auth.xoauth2': 'Sentry logs in with a password only',
    'auth.method': "no mail.* key; Django's smtplib tries the mechanisms the server offers",
    replyTo: 'no mail.* key',
    bcc: 'no mail.* key',
    charset: 'Sentry writes UTF-8',
    ehlo: 'no mail.* key',
  },
  build(ctx) {
    const { m } = ctx;
    const timeout = singleTimeout(m.timeouts);
    if (timeout !== undefined && Object.values(m.timeouts).filter((v) => v !== undefined).length > 1) {
      ctx.warn('timeouts', `Sentry has one mail.timeout: written as ${seconds(timeout)} s (the command timeout, else connect)`);
    }
    const lines: Line[] = [
      ['mail.backend', 'smtp'],
      ['mail.host', m.host],
      ['mail.port', m.port],
      ['mail.username', m.auth === 'password' ? m.username : undefined],
      ['mail.password', m.auth === 'password' ? raw(ctx.secret('password', { literal: yamlString })) : undefined],
      ['mail.use-tls', m.encryption === 'starttls'],
      ['mail.use-ssl', m.encryption === 'ssl'],
      ['mail.from', m.from ? mailbox(m.from) : undefined],
      // src/sentry/options/defaults.py: register("mail.timeout", default=10, type=Int) — whole seconds, one knob
      ['mail.timeout', timeout === undefined ? undefined : seconds(timeout)],
    ];
    const content = [
      `# ${banner('Sentry', m)}`,
      '# sentry.conf.py sets mail.from from SENTRY_MAIL_HOST and overrides this file: set that variable or remove those lines.',
      yamlMap(lines),
      '',
    ].join('\n');
    return [{ name: 'config.yml', content }];
  },
});
