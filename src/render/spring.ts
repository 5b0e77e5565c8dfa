import { propertiesValue } from './escape.ts';
import { banner, defineRenderer, mailbox } from './model.ts';

const P = 'spring.mail.properties.mail.smtp';
const VERSIONS = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const;

// Spring Boot MailProperties + JavaMail (com.sun.mail.smtp / Angus Mail) properties. Implicit
// TLS is `mail.smtp.ssl.enable` (keeps the mail.smtp.* prefix, unlike protocol=smtps).
export const renderer = defineRenderer({
  id: 'spring',
  title: 'Spring Boot',
  writes: '`application.properties`: spring.mail.host/port/username/password and spring.mail.properties.mail.smtp.*',
  status: 'verified',
  cannot: {
    'tls.ca': 'JavaMail uses the JVM trust store; configure an SSL bundle (spring.mail.ssl.bundle, Boot 3.4+) or -Djavax.net.ssl.trustStore',
    'tls.servername': 'no JavaMail property',
    'auth.xoauth2': 'JavaMail XOAUTH2 takes an access token as the password and cannot refresh it',
    'from.address': 'Spring Boot has no From property; set it on the message (the envelope sender is written as mail.smtp.from)',
    'from.name': 'Spring Boot has no From property; set it on the message',
    replyTo: 'no property; set it on the message',
    bcc: 'no property; set it on the message',
  },
  build(ctx) {
    const { m } = ctx;
    const lines: string[] = [`# ${banner('Spring Boot', m)}`];
    const put = (key: string, value: string | number | boolean | undefined) => {
      if (value !== undefined) lines.push(`${key}=${typeof value === 'string' ? propertiesValue(value) : String(value)}`);
    };
    put('spring.mail.host', m.host);
    put('spring.mail.port', m.port);
    put('spring.mail.protocol', 'smtp');
    if (m.auth === 'password') {
      put('spring.mail.username', m.username);
      const password = ctx.secret('password', {
        literal: propertiesValue,
        env: (name) => `\${${name}}`,
      });
      if (password !== undefined) {
        if (ctx.inline && password.includes('${')) {
          ctx.warn('auth.password', 'the password holds "${", which Spring resolves as a placeholder; pass it through an environment variable instead');
        }
        lines.push(`spring.mail.password=${password}`);
      }
    }
    put('spring.mail.default-encoding', m.charset);
    put(`${P}.auth`, m.auth === 'password');
    // JavaMail tries LOGIN PLAIN DIGEST-MD5 NTLM XOAUTH2 by default; a set method is pinned
    if (m.auth === 'password' && m.profile.auth?.method !== undefined) put(`${P}.auth.mechanisms`, m.method.toUpperCase());
    put(`${P}.ssl.enable`, m.encryption === 'ssl');
    put(`${P}.starttls.enable`, m.encryption === 'starttls');
    put(`${P}.starttls.required`, m.encryption === 'starttls');
    if (m.encryption !== 'none') {
      if (!m.verify) put(`${P}.ssl.trust`, '*');
      put(`${P}.ssl.checkserveridentity`, m.verify);
      if (m.minVersion !== undefined) put(`${P}.ssl.protocols`, VERSIONS.slice(VERSIONS.indexOf(m.minVersion)).join(' '));
    }
    put(`${P}.localhost`, m.ehlo);
    put(`${P}.from`, m.from?.address);
    put(`${P}.connectiontimeout`, m.timeouts.connect);
    put(`${P}.timeout`, m.timeouts.command ?? m.timeouts.greeting);
    put(`${P}.writetimeout`, m.timeouts.command);
    if (m.from) lines.push(`# From for SimpleMailMessage#setFrom: ${mailbox(m.from)}`);
    return [{ name: 'application.properties', content: `${lines.join('\n')}\n` }];
  },
});
