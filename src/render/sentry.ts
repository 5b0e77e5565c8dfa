import { yamlString } from './escape.ts';
import { raw, yamlMap, type Line } from './formats.ts';
import { banner, defineRenderer, mailbox } from './model.ts';

// getsentry/self-hosted sentry/config.example.yml `mail.*` (Django semantics: use-tls = STARTTLS,
// use-ssl = implicit TLS). config.yml expands no variables.
export const renderer = defineRenderer({
  id: 'sentry',
  title: 'Sentry self-hosted',
  writes: '`config.yml` keys mail.backend, mail.host, mail.port, mail.username, mail.password, mail.use-tls, mail.use-ssl, mail.from',
  status: 'verified',
  cannot: {
    'tls.verify': 'no mail.* key (Django SMTP backend)',
    'tls.ca': 'no mail.* key',
    'tls.servername': 'no mail.* key',
    'tls.minVersion': 'no mail.* key',
    'auth.xoauth2': 'Sentry logs in with a password only',
    replyTo: 'no mail.* key',
    bcc: 'no mail.* key',
    charset: 'Sentry writes UTF-8',
    ehlo: 'no mail.* key',
    timeouts: 'no mail.* key',
  },
  build(ctx) {
    const { m } = ctx;
    const lines: Line[] = [
      ['mail.backend', 'smtp'],
      ['mail.host', m.host],
      ['mail.port', m.port],
      ['mail.username', m.auth === 'password' ? m.username : undefined],
      ['mail.password', m.auth === 'password' ? raw(ctx.secret('password', { literal: yamlString })) : undefined],
      ['mail.use-tls', m.encryption === 'starttls'],
      ['mail.use-ssl', m.encryption === 'ssl'],
      ['mail.from', m.from ? mailbox(m.from) : undefined],
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
