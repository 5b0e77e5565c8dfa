import { rubyString } from './escape.ts';
import { banner, defineRenderer, seconds } from './model.ts';
import { RUBY_AUTH, rubySecretStyle } from './ruby.ts';

// omnibus-gitlab gitlab.rb.template + templates/default/smtp_settings.rb.erb (mail gem): for
// implicit TLS, smtp_tls = true with smtp_enable_starttls_auto = false; STARTTLS is only ever
// "auto" (opportunistic). smtp_force_ssl is not rendered by the cookbook: never written.
export const renderer = defineRenderer({
  id: 'gitlab',
  title: 'GitLab Omnibus',
  writes: "`gitlab.rb` lines gitlab_rails['smtp_*'] and gitlab_rails['gitlab_email_*']",
  status: 'verified',
  cannot: {
    'tls.servername': 'no smtp_* key',
    'tls.minVersion': 'no smtp_* key',
    'auth.xoauth2': 'smtp_authentication has login, plain and cram_md5 only',
    bcc: 'no gitlab_rails key',
    charset: 'GitLab writes UTF-8',
  },
  limits: ['encryption: starttls is opportunistic (smtp_enable_starttls_auto)'],
  build(ctx) {
    const { m } = ctx;
    if (m.encryption === 'starttls') {
      ctx.warn('encryption', "GitLab's smtp_enable_starttls_auto uses STARTTLS when offered but cannot require it");
    }
    const s = rubyString;
    const out: string[] = [`# ${banner('GitLab', m)}`];
    const put = (key: string, value: string | undefined) => {
      if (value !== undefined) out.push(`gitlab_rails['${key}'] = ${value}`);
    };
    put('smtp_enable', 'true');
    put('smtp_address', s(m.host));
    put('smtp_port', String(m.port));
    if (m.auth === 'password') {
      put('smtp_user_name', m.username !== undefined ? s(m.username) : undefined);
      put('smtp_password', ctx.secret('password', rubySecretStyle));
      put('smtp_authentication', s(RUBY_AUTH[m.method] ?? 'login'));
    }
    put('smtp_domain', m.ehlo !== undefined ? s(m.ehlo) : undefined);
    put('smtp_enable_starttls_auto', String(m.encryption === 'starttls'));
    put('smtp_tls', String(m.encryption === 'ssl'));
    if (m.encryption !== 'none') {
      put('smtp_openssl_verify_mode', s(m.verify ? 'peer' : 'none'));
      put('smtp_ca_file', m.ca !== undefined ? s(m.ca) : undefined);
    }
    const open = m.timeouts.connect ?? m.timeouts.greeting;
    put('smtp_open_timeout', open !== undefined ? String(seconds(open)) : undefined);
    put('smtp_read_timeout', m.timeouts.command !== undefined ? String(seconds(m.timeouts.command)) : undefined);
    put('gitlab_email_from', m.from ? s(m.from.address) : undefined);
    put('gitlab_email_display_name', m.from?.name !== undefined ? s(m.from.name) : undefined);
    put('gitlab_email_reply_to', m.replyTo !== undefined ? s(m.replyTo) : undefined);
    return [{ name: 'gitlab.rb', content: `${out.join('\n')}\n` }];
  },
});
