import { msmtpArg, shellWord } from './escape.ts';
import { banner, defineRenderer, seconds, singleTimeout } from './model.ts';

const AUTH: Record<string, string> = { login: 'login', plain: 'plain', 'cram-md5': 'cram-md5', xoauth2: 'xoauth2' };
/** GnuTLS priority strings (Debian builds msmtp with GnuTLS). */
const PRIORITIES: Record<string, string> = {
  TLSv1: 'NORMAL',
  'TLSv1.1': 'NORMAL:-VERS-TLS1.0',
  'TLSv1.2': 'NORMAL:-VERS-TLS1.0:-VERS-TLS1.1',
  'TLSv1.3': 'NORMAL:-VERS-ALL:+VERS-TLS1.3',
};

// msmtp(1) 1.8.23 (Debian 12): `tls on` + `tls_starttls off` is implicit TLS, `tls_starttls on`
// requires STARTTLS; passwordeval runs a command whose stdout is the password.
export const renderer = defineRenderer({
  id: 'msmtp',
  title: 'msmtp',
  writes: '`msmtprc` account: host, port, tls, tls_starttls, tls_certcheck, tls_trust_file, auth, user, passwordeval/password, from, domain',
  status: 'verified',
  // msmtp(1) `auth` (doc/msmtp.1, github.com/marlam/msmtp): oauthbearer or its predecessor xoauth2
  // use an OAuth2 token from the provider as the password; passwordeval can supply it
  xoauth2: { support: 'partial', note: 'auth xoauth2 with passwordeval printing an access token; msmtp does not refresh it (msmtp(1) auth)' },
  cannot: {
    'from.name': 'from_full_name needs msmtp 1.8.24+ (Debian 12 ships 1.8.23); the application sets the From header',
    replyTo: 'msmtp sends the message as the application wrote it',
    bcc: 'msmtp delivers to the recipients it is given (add them to the command line)',
    charset: 'msmtp sends the message as the application wrote it',
  },
  limits: ['auth.method: xoauth2 takes an access token; msmtp does not refresh it'],
  build(ctx) {
    const { m } = ctx;
    const account = m.name.replace(/[^A-Za-z0-9_.-]/g, '_') || 'default';
    const lines: string[] = [`# ${banner('msmtp', m)}`, `# Use: msmtp -C <this file> -a ${account} recipient@example.com < message`];
    const put = (cmd: string, arg: string | number | undefined) => {
      if (arg !== undefined) lines.push(`${cmd} ${msmtpArg(String(arg))}`);
    };
    put('account', account);
    put('host', m.host);
    put('port', m.port);
    put('tls', m.encryption === 'none' ? 'off' : 'on');
    if (m.encryption !== 'none') {
      put('tls_starttls', m.encryption === 'starttls' ? 'on' : 'off');
      put('tls_certcheck', m.verify ? 'on' : 'off');
      if (m.verify) put('tls_trust_file', m.ca ?? 'system');
      if (m.servername !== undefined && m.servername !== m.host) put('tls_host_override', m.servername);
      if (m.minVersion !== undefined) put('tls_priorities', PRIORITIES[m.minVersion]);
    }
    put('auth', m.auth === 'none' ? 'off' : (AUTH[m.method] ?? 'on'));
    put('user', m.username);
    const field = m.auth === 'password' ? 'password' : m.auth === 'xoauth2' ? 'accessToken' : undefined;
    if (field && m.auth === 'xoauth2' && !ctx.secretOf('accessToken')) {
      ctx.warn('auth.refreshToken', 'msmtp takes an XOAUTH2 access token from passwordeval and cannot refresh one: point passwordeval at a command that prints a fresh access token', 'xoauth2-access-token-only');
      lines.push('passwordeval "echo set passwordeval to a command that prints a fresh access token >&2; exit 1"');
    } else if (field) {
      let evalCommand: string | undefined;
      const password = ctx.secret(field, {
        literal: msmtpArg,
        env: (name) => {
          evalCommand = `printenv ${shellWord(name)}`;
          return '';
        },
        file: (path) => {
          // the first line, with or without its newline (msmtp strips a trailing newline); a trailing
          // `echo` after cat would write into a pipe msmtp may have closed ("echo: I/O error")
          evalCommand = `head -n 1 ${shellWord(path)}`;
          return '';
        },
      });
      if (evalCommand !== undefined) put('passwordeval', evalCommand);
      else if (password !== undefined) lines.push(`password ${password}`);
    }
    put('from', m.from?.address);
    put('domain', m.ehlo);
    const timeout = singleTimeout(m.timeouts);
    put('timeout', timeout !== undefined ? seconds(timeout) : undefined);
    lines.push(`account default : ${account}`);
    return [{ name: 'msmtprc', content: `${lines.join('\n')}\n` }];
  },
});
