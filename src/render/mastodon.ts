import { yamlString } from './escape.ts';
import { dotenvFile, dotenvStyle, raw, type Line } from './formats.ts';
import { banner, defineRenderer, type RenderContext } from './model.ts';
import { RUBY_AUTH } from './ruby.ts';

// mastodon config/environments/production.rb (mail gem): SMTP_TLS is implicit TLS and must come
// with SMTP_ENABLE_STARTTLS=never (the mail gem rejects TLS plus a truthy STARTTLS flag, and the
// auto flag defaults on); SMTP_ENABLE_STARTTLS=always requires STARTTLS (4.0+).
// Mastodon 4.4+ reads the SMTP_* variables through config/email.yml, which pastes each value
// unquoted into YAML with ERB (`from_address: <%= ENV.fetch('SMTP_FROM_ADDRESS', …) %>`) and
// parses it with Psych (YAML 1.1): a value must read back as the same string there, so one that
// is not a safe plain scalar is written as a YAML double-quoted string — which 4.3 and earlier,
// reading the variable directly, would take literally.

/** A value Psych reads back unchanged as a plain scalar after `key: ` (conservative). */
export function yamlPlainSafe(value: string): boolean {
  if (!/^[\p{L}\p{N}/_.][\p{L}\p{N} _./@+<>=,-]*$/u.test(value) || value.endsWith(' ')) return false;
  // YAML 1.1 booleans, null and number-like scalars (ints, floats, sexagesimal, 1_000)
  if (/^(y|n|yes|no|true|false|on|off|null)$/i.test(value)) return false;
  return !/^[-+]?[0-9][0-9_.:,eE+-]*$/.test(value) && !/^\.(inf|nan)$/i.test(value);
}

/** A display name the mail gem reads unquoted as a phrase and YAML as part of a plain scalar. */
const SIMPLE_NAME = /^[\p{L}\p{N}][\p{L}\p{N} _-]*$/u;

function fromValue(name: string | undefined, address: string): { value: string; simple: boolean } {
  if (!name) return { value: address, simple: true };
  if (SIMPLE_NAME.test(name) && !name.endsWith(' ')) return { value: `${name} <${address}>`, simple: true };
  return { value: `"${name.replace(/[\\"]/g, (c) => `\\${c}`)}" <${address}>`, simple: false };
}

/**
 * The variable's value as the target version reads it: unchanged where 4.3 and 4.4 agree, else
 * YAML-quoted for 4.4+ (the default) or as is for < 4.4, with a warning when no version was given.
 */
function erbValue(ctx: RenderContext, key: string, setting: string, value: string | undefined): string | undefined {
  if (value === undefined || yamlPlainSafe(value)) return value;
  if (ctx.versionIn(undefined, '4.4') === true) return value;
  if (ctx.version === undefined) {
    ctx.warn(
      setting,
      `${key} is written YAML-quoted for Mastodon 4.4+ (config/email.yml pastes it into YAML); Mastodon < 4.4 reads the variable as is and would keep the quotes: render with --target-version for an older release`,
    );
  }
  return yamlString(value);
}

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
  versions: [
    { below: '4.4', reads: 'SMTP_* variables go straight to the mail gem: a quoted From name ("Acme, Inc." <…>) is read as written' },
    { from: '4.4', reads: 'config/email.yml pastes SMTP_* values unquoted into YAML (ERB + Psych): values YAML would misread are written YAML-quoted' },
  ],
  build(ctx) {
    const { m } = ctx;
    const style = dotenvStyle('ruby');
    const lines: Line[] = [
      banner('Mastodon', m),
      ['SMTP_DELIVERY_METHOD', 'smtp'],
      ['SMTP_SERVER', erbValue(ctx, 'SMTP_SERVER', 'host', m.host)],
      ['SMTP_PORT', m.port],
    ];
    if (m.auth === 'password') {
      const password = ctx.secret('password', {
        literal: (v) => style.literal(erbValue(ctx, 'SMTP_PASSWORD', 'auth.password', v)!),
        env: style.env!,
      });
      if (ctx.secretOf('password')?.ref.kind === 'env' && !ctx.inline && ctx.versionIn(undefined, '4.4') !== true) {
        lines.push('Mastodon 4.4+ pastes SMTP_PASSWORD unquoted into YAML: if the password starts with a quote, &, *, !, %, @ or ` or holds ": " or " #", store it YAML-quoted.');
      }
      lines.push(
        ['SMTP_LOGIN', erbValue(ctx, 'SMTP_LOGIN', 'auth.username', m.username)],
        ['SMTP_PASSWORD', raw(password)],
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
      lines.push(['SMTP_OPENSSL_VERIFY_MODE', m.verify ? 'peer' : 'none'], ['SMTP_CA_FILE', erbValue(ctx, 'SMTP_CA_FILE', 'tls.ca', m.ca)]);
    }
    let from: string | undefined;
    if (m.from) {
      const f = fromValue(m.from.name, m.from.address);
      from = f.simple ? erbValue(ctx, 'SMTP_FROM_ADDRESS', 'from', f.value) : ctx.versionIn(undefined, '4.4') === true ? f.value : undefined;
      if (from === undefined) {
        if (ctx.version === undefined) {
          ctx.warn(
            'from.name',
            'SMTP_FROM_ADDRESS is written YAML-quoted for Mastodon 4.4+ (its From name needs quotes, which config/email.yml would otherwise break on); Mastodon < 4.4 would keep the YAML quotes: render with --target-version for an older release',
          );
        }
        from = yamlString(f.value);
      }
    }
    lines.push(
      ['SMTP_DOMAIN', erbValue(ctx, 'SMTP_DOMAIN', 'ehlo', m.ehlo)],
      ['SMTP_FROM_ADDRESS', from],
      ['SMTP_REPLY_TO', erbValue(ctx, 'SMTP_REPLY_TO', 'replyTo', m.replyTo)],
    );
    return [{ name: '.env.production', content: dotenvFile(lines, 'ruby') }];
  },
});
