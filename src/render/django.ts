import { pythonString } from './escape.ts';
import { banner, defineRenderer, mailbox, seconds, singleTimeout } from './model.ts';

// django/core/mail/backends/smtp.py (5.2): EMAIL_USE_TLS = STARTTLS (a failure raises),
// EMAIL_USE_SSL = implicit TLS, never both; certificates are always verified with
// ssl.create_default_context(). Django reads no environment itself: this is a settings module.
export const renderer = defineRenderer({
  id: 'django',
  title: 'Django',
  writes: '`mail_settings.py`: EMAIL_HOST, EMAIL_PORT, EMAIL_USE_TLS/EMAIL_USE_SSL, EMAIL_HOST_USER/PASSWORD, DEFAULT_FROM_EMAIL…',
  status: 'verified',
  cannot: {
    'tls.verify': 'Django has no setting to skip certificate verification (only a custom EMAIL_BACKEND can)',
    'tls.ca': 'Django uses the default trust store (SSL_CERT_FILE in the environment changes it for the whole process)',
    'tls.servername': 'no setting',
    'tls.minVersion': 'no setting',
    'auth.xoauth2': 'the SMTP backend logs in with a password only',
    'auth.method': "no setting; smtplib's login() tries the mechanisms the server offers",
    replyTo: 'no setting; pass reply_to to EmailMessage',
    bcc: 'no setting; pass bcc to EmailMessage',
    charset: 'DEFAULT_CHARSET is global (HTTP responses too); set it yourself if you mean it',
    ehlo: 'Django sends the machine name (DNS_NAME), not configurable',
  },
  build(ctx) {
    const { m } = ctx;
    const imports = new Set<string>();
    const str = pythonString;
    const password =
      m.auth === 'password'
        ? ctx.secret('password', {
            literal: str,
            env: (name) => {
              imports.add('import os');
              return `os.environ[${str(name)}]`;
            },
            file: (path) => {
              imports.add('from pathlib import Path');
              return `Path(${str(path)}).read_text(encoding="utf-8").rstrip("\\r\\n")`;
            },
          })
        : undefined;
    const timeout = singleTimeout(m.timeouts);
    const lines = [
      `EMAIL_BACKEND = ${str('django.core.mail.backends.smtp.EmailBackend')}`,
      `EMAIL_HOST = ${str(m.host)}`,
      `EMAIL_PORT = ${m.port}`,
      `EMAIL_USE_SSL = ${m.encryption === 'ssl' ? 'True' : 'False'}`,
      `EMAIL_USE_TLS = ${m.encryption === 'starttls' ? 'True' : 'False'}`,
      // login happens only when both are non-empty
      `EMAIL_HOST_USER = ${str(m.auth === 'password' ? (m.username ?? '') : '')}`,
      `EMAIL_HOST_PASSWORD = ${password ?? str('')}`,
    ];
    if (timeout !== undefined) lines.push(`EMAIL_TIMEOUT = ${seconds(timeout)}`);
    if (m.from) {
      lines.push(`DEFAULT_FROM_EMAIL = ${str(mailbox(m.from))}`, `SERVER_EMAIL = ${str(mailbox(m.from))}`);
    }
    const head = [`# ${banner('Django', m)}`, '# Import it at the end of settings.py: from .mail_settings import *  # noqa'];
    const content = [...head, ...(imports.size ? ['', ...[...imports].sort()] : []), '', ...lines, ''].join('\n');
    return [{ name: 'mail_settings.py', content }];
  },
});
