import { oneLine } from './escape.ts';
import { banner, defineRenderer } from './model.ts';

const MECH: Record<string, string> = { login: 'login', plain: 'plain', 'cram-md5': 'cram-md5' };

// postconf(5), SASL_README (Postfix 3.7): starttls required → level encrypt, certificate checked →
// secure (name matched against the relayhost); implicit TLS → smtp_tls_wrappermode = yes (3.0+)
// with encrypt or stronger. The sasl_passwd key must equal relayhost, brackets and port included.
export const renderer = defineRenderer({
  id: 'postfix',
  title: 'Postfix relay',
  writes: '`main.cf` lines relayhost, smtp_tls_security_level, smtp_tls_wrappermode, smtp_sasl_*; `sasl_passwd` table',
  status: 'verified',
  cannot: {
    'tls.servername': 'not written (smtp_tls_servername needs Postfix 3.4+); the certificate name is checked against the relayhost',
    'tls.minVersion': 'not written (smtp_tls_mandatory_protocols syntax differs across versions)',
    'auth.xoauth2': 'needs the cyrus-sasl-xoauth2 plugin and a token refresher',
    'from.address': 'Postfix relays the sender the application gives it (smtp_generic_maps can rewrite it)',
    'from.name': 'Postfix never sets a display name',
    replyTo: 'Postfix relays the message as written',
    charset: 'Postfix relays the message as written',
    timeouts: 'not written',
  },
  limits: ['bcc: one address (always_bcc)'],
  build(ctx) {
    const { m } = ctx;
    const host = m.host.includes(':') ? `[ipv6:${m.host}]` : `[${m.host}]`;
    const relayhost = `${host}:${m.port}`;
    const lines: string[] = [
      `# ${banner('Postfix', m)}`,
      '# Append to /etc/postfix/main.cf, then: postmap /etc/postfix/sasl_passwd && postfix reload',
      `relayhost = ${relayhost}`,
    ];
    if (m.encryption === 'none') lines.push('smtp_tls_security_level = none');
    else {
      lines.push(`smtp_tls_security_level = ${m.verify ? 'secure' : 'encrypt'}`);
      lines.push(`smtp_tls_wrappermode = ${m.encryption === 'ssl' ? 'yes' : 'no'}`);
      if (m.verify) lines.push(`smtp_tls_CAfile = ${oneLine(m.ca ?? '/etc/ssl/certs/ca-certificates.crt', 'main.cf: tls.ca')}`);
    }
    const files = [];
    if (m.auth === 'password') {
      lines.push(
        'smtp_sasl_auth_enable = yes',
        'smtp_sasl_password_maps = hash:/etc/postfix/sasl_passwd',
        // the default (noplaintext) would refuse PLAIN and LOGIN
        'smtp_sasl_security_options = noanonymous',
        'smtp_sasl_tls_security_options = noanonymous',
      );
      const mech = MECH[m.method];
      if (mech) lines.push(`smtp_sasl_mechanism_filter = ${mech}`);
      // one line per entry: a line break in the username or password would add entries (SPEC §7)
      const password = ctx.secret('password', { literal: (v) => oneLine(v, 'sasl_passwd: auth.password') }) ?? '';
      const table = [
        `# ${banner('Postfix', m)}`,
        '# /etc/postfix/sasl_passwd (mode 0600), then: postmap /etc/postfix/sasl_passwd',
        `${oneLine(relayhost, 'relayhost')} ${oneLine(m.username ?? '', 'sasl_passwd: auth.username')}:${password}`,
        '',
      ].join('\n');
      files.push({ name: 'sasl_passwd', content: table });
    } else {
      lines.push('smtp_sasl_auth_enable = no');
    }
    if (m.ehlo !== undefined) lines.push(`smtp_helo_name = ${oneLine(m.ehlo, 'main.cf: ehlo')}`);
    if (m.bcc.length > 0) {
      lines.push(`always_bcc = ${oneLine(m.bcc[0]!, 'main.cf: bcc')}`);
      if (m.bcc.length > 1) ctx.warn('bcc', `Postfix always_bcc takes one address: ${m.bcc.length - 1} more cannot be expressed (use an alias that expands to them)`);
    }
    return [{ name: 'main.cf', content: `${lines.join('\n')}\n` }, ...files];
  },
});
