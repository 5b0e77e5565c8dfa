import { dotenv } from './escape.ts';
import { dotenvFile, raw, type Line } from './formats.ts';
import { banner, defineRenderer, mailbox, type RenderContext, type SecretField } from './model.ts';

/**
 * A secret in the generic env file. The file itself defines SMTP_PASSWORD etc., so a reference to
 * a variable of the same name would point at itself: then the line is a comment and the value
 * comes from the process environment. Another name is referenced as `${NAME}` (expanded by
 * Docker Compose, dotenv-expand, phpdotenv…), a file as `<KEY>_FILE`.
 */
function secretLines(ctx: RenderContext, key: string, field: SecretField): Line[] {
  const secret = ctx.secretOf(field);
  if (!secret) return [];
  if (ctx.inline) {
    const text = dotenv(ctx.reveal(field)!, 'node');
    // a value holding both ' and " has no quoting every dotenv reader shares: Node reads backticks,
    // python-dotenv, Docker Compose and phpdotenv do not (they cut it at " #")
    if (text.startsWith('`')) {
      ctx.warn(
        `auth.${field}`,
        `${key} holds both ' and ", written in backticks, which only Node's env-file parser reads (python-dotenv, Docker Compose and phpdotenv do not): pass it through the process environment or ${key}_FILE instead`,
      );
    }
    return [[key, raw(text)]];
  }
  const ref = secret.ref;
  if (ref.kind === 'env' && ref.name === key) return [`${key} is not written (--secrets ref): set it in the environment`];
  if (ref.kind === 'env') return [[key, raw(`\${${ref.name}}`)]];
  if (ref.kind === 'file') return [[`${key}_FILE`, ctx.path(`auth.${field}`, ref.path)]];
  return [[key, raw(ctx.secret(field, { literal: (v) => dotenv(v, 'node') }))]];
}

export const renderer = defineRenderer({
  id: 'env',
  title: 'Generic SMTP_* environment',
  writes: '`.env` lines SMTP_HOST, SMTP_PORT, SMTP_ENCRYPTION (ssl|starttls|none), SMTP_USERNAME, SMTP_PASSWORD, SMTP_FROM…',
  status: 'verified',
  xoauth2: { support: 'yes', note: 'SMTP_OAUTH_* variables (client id, secret, refresh token, token URL): the app reading them must refresh the token' },
  cannot: {},
  build(ctx) {
    const { m } = ctx;
    const t = m.timeouts;
    const tls = m.encryption !== 'none';
    const lines: Line[] = [
      banner('a generic SMTP_* environment', m),
      'SMTP_ENCRYPTION: ssl = TLS from the first byte, starttls = STARTTLS required, none = no TLS.',
      ['SMTP_HOST', m.host],
      ['SMTP_PORT', m.port],
      ['SMTP_ENCRYPTION', m.encryption],
      ['SMTP_AUTH_METHOD', m.method],
    ];
    if (m.auth === 'password') {
      lines.push(['SMTP_USERNAME', m.username], ...secretLines(ctx, 'SMTP_PASSWORD', 'password'));
    } else if (m.auth === 'xoauth2') {
      const a = m.profile.auth!;
      lines.push(
        ['SMTP_USERNAME', m.username],
        ['SMTP_OAUTH_CLIENT_ID', a.clientId],
        ...secretLines(ctx, 'SMTP_OAUTH_CLIENT_SECRET', 'clientSecret'),
        ...secretLines(ctx, 'SMTP_OAUTH_REFRESH_TOKEN', 'refreshToken'),
        ...secretLines(ctx, 'SMTP_OAUTH_ACCESS_TOKEN', 'accessToken'),
        ['SMTP_OAUTH_TOKEN_URL', a.tokenUrl],
      );
    }
    lines.push(
      ['SMTP_FROM', m.from ? mailbox(m.from) : undefined],
      ['SMTP_FROM_ADDRESS', m.from?.address],
      ['SMTP_FROM_NAME', m.from?.name],
      ['SMTP_REPLY_TO', m.replyTo],
      ['SMTP_BCC', m.bcc.length > 0 ? m.bcc.join(',') : undefined],
      ['SMTP_TLS_VERIFY', tls ? m.verify : undefined],
      ['SMTP_TLS_CA', m.ca],
      ['SMTP_TLS_SERVERNAME', m.servername],
      ['SMTP_TLS_MIN_VERSION', m.minVersion],
      ['SMTP_CHARSET', m.charset],
      ['SMTP_EHLO', m.ehlo],
      ['SMTP_CONNECT_TIMEOUT_MS', t.connect],
      ['SMTP_GREETING_TIMEOUT_MS', t.greeting],
      ['SMTP_COMMAND_TIMEOUT_MS', t.command],
    );
    return [{ name: '.env', content: dotenvFile(lines, 'node') }];
  },
});
