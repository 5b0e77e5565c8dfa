import { percentEncode } from './escape.ts';
import { dotenvFile, raw, type Line } from './formats.ts';
import { banner, defineRenderer } from './model.ts';

// symfony/mailer EsmtpTransportFactory + EsmtpTransport: `smtps://` is implicit TLS on any port;
// `smtp://` connects in plain text, upgrades when STARTTLS is offered, and on port 465 uses
// implicit TLS. User info is rawurldecode()d, so it is percent-encoded here.
export const renderer = defineRenderer({
  id: 'symfony',
  title: 'Symfony Mailer',
  writes: '`.env` line MAILER_DSN=smtp(s)://user:pass@host:port?verify_peer=…&require_tls=…',
  status: 'verified',
  // symfony/mailer Transport/Smtp/Auth/XOAuth2Authenticator.php (github.com/symfony/symfony): sends
  // user= + getUsername() + auth=Bearer + getPassword(), i.e. the DSN password is the access token;
  // EsmtpTransport tries it after CramMd5/Login/Plain (it is in the default authenticator list)
  xoauth2: { support: 'partial', note: 'the DSN password is used as the XOAUTH2 access token (XOAuth2Authenticator); the DSN cannot refresh it' },
  cannot: {
    'tls.ca': 'the DSN has no CA option; Symfony uses the system trust store',
    'tls.servername': 'the DSN has no SNI option',
    'tls.minVersion': 'the DSN has no TLS version option',
    'auth.method': 'the DSN has no mechanism option; Symfony Mailer tries the mechanisms the server offers',
    'from.address': 'not part of the DSN; set framework.mailer.envelope.sender / headers in config/packages/mailer.yaml',
    'from.name': 'not part of the DSN; set the From header in config/packages/mailer.yaml or per message',
    replyTo: 'not part of the DSN',
    bcc: 'not part of the DSN',
    charset: 'Symfony Mailer always writes UTF-8',
    timeouts: 'the DSN has no timeout option (default_socket_timeout applies)',
  },
  limits: ['encryption: starttls or none on port 465 (smtp:// uses implicit TLS there)'],
  versions: [
    { below: '7.1', reads: 'no auto_tls option: smtp:// upgrades to STARTTLS whenever offered, so encryption: none cannot be kept' },
    { below: '7.3', reads: 'no require_tls option: STARTTLS is used when offered but not required, so encryption: starttls is opportunistic' },
  ],
  build(ctx) {
    const { m } = ctx;
    if (m.port === 465 && m.encryption !== 'ssl') {
      ctx.warn('encryption', `Symfony Mailer uses implicit TLS on port 465 for smtp:// too, so encryption: ${m.encryption} cannot be expressed there`);
    }
    let userinfo = '';
    const notes: string[] = [];
    if (m.auth === 'password' && m.username !== undefined) {
      const secret = ctx.secretOf('password');
      let pass = '';
      if (secret) {
        pass = ctx.secret('password', {
          literal: (v) => percentEncode(v),
          env: (name) => {
            notes.push(`\${${name}} is substituted as is: the variable must hold the password percent-encoded (RFC 3986).`);
            return `\${${name}}`;
          },
        })!;
      }
      userinfo = `${percentEncode(m.username)}${secret ? `:${pass}` : ''}@`;
    } else if (m.auth === 'xoauth2' && m.username !== undefined) {
      // XOAuth2Authenticator sends the DSN password as the bearer token
      let token = '';
      if (ctx.secretOf('accessToken')) {
        token = `:${ctx.secret('accessToken', {
          literal: (v) => percentEncode(v),
          env: (name) => `\${${name}}`,
        })!}`;
      } else {
        ctx.warn('auth.refreshToken', 'Symfony Mailer takes the XOAUTH2 access token as the DSN password and cannot refresh one: put a fresh access token in the DSN (or a custom XOAuth2Authenticator with a token provider)', 'xoauth2-access-token-only');
      }
      userinfo = `${percentEncode(m.username)}${token}@`;
    }
    const query: string[] = [];
    if (!m.verify) query.push('verify_peer=0');
    if (m.encryption === 'none') query.push('auto_tls=false');
    if (m.encryption === 'starttls') query.push('require_tls=true');
    if (m.ehlo !== undefined) query.push(`local_domain=${percentEncode(m.ehlo)}`);
    // unknown DSN options are ignored by older versions, so the DSN stays valid; the guarantee is lost
    if (m.encryption === 'none' && ctx.versionIn(undefined, '7.1') !== false) {
      ctx.warn('encryption', `auto_tls=false needs Symfony Mailer 7.1+; ${ctx.version ? `${ctx.version} upgrades` : 'versions < 7.1 upgrade'} to STARTTLS whenever it is offered`);
    }
    if (m.encryption === 'starttls' && ctx.versionIn(undefined, '7.3') !== false) {
      ctx.warn('encryption', `require_tls=true needs Symfony Mailer 7.3+; ${ctx.version ? `${ctx.version} uses` : 'versions < 7.3 use'} STARTTLS when offered but do not require it`);
    }
    const host = m.host.includes(':') ? `[${m.host}]` : m.host;
    const dsn = `${m.encryption === 'ssl' ? 'smtps' : 'smtp'}://${userinfo}${host}:${m.port}${query.length ? `?${query.join('&')}` : ''}`;
    // the DSN is URL-safe apart from ${NAME} references, which must stay expandable
    const lines: Line[] = [banner('Symfony Mailer', m), ...notes, ['MAILER_DSN', raw(`"${dsn}"`)]];
    return [{ name: '.env', content: dotenvFile(lines, 'php') }];
  },
});
