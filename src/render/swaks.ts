import { encodedWord, shellWord } from './escape.ts';
import { banner, defineRenderer, seconds, singleTimeout } from './model.ts';

const AUTH: Record<string, string> = { login: 'LOGIN', plain: 'PLAIN', 'cram-md5': 'CRAM-MD5' };
const PROTOCOLS: Record<string, string> = {
  TLSv1: 'no_sslv2,no_sslv3',
  'TLSv1.1': 'no_sslv2,no_sslv3,no_tlsv1',
  'TLSv1.2': 'no_sslv2,no_sslv3,no_tlsv1,no_tlsv1_1',
  'TLSv1.3': 'no_sslv2,no_sslv3,no_tlsv1,no_tlsv1_1,no_tlsv1_2',
};

// swaks(1) 20201014: -tls requires STARTTLS, --tls-on-connect is implicit TLS, certificates are
// NOT verified unless --tls-verify. The password travels in SWAKS_OPT_auth_password, not argv.
export const renderer = defineRenderer({
  id: 'swaks',
  title: 'swaks',
  writes: '`swaks.sh`: a swaks command line (--server, --port, -tls/--tls-on-connect, --tls-verify, --auth, --from, --h-From…); pass --to',
  status: 'verified',
  cannot: {
    'auth.xoauth2': 'swaks 20201014 has no XOAUTH2 authenticator',
    bcc: 'swaks 20201014 has no --bcc; add the addresses to --to',
    charset: 'swaks sends its own test body',
  },
  build(ctx) {
    const { m } = ctx;
    const q = shellWord;
    const args: string[] = [`--server ${q(m.host)}`, `--port ${m.port}`];
    if (m.encryption === 'ssl') args.push('--tls-on-connect');
    if (m.encryption === 'starttls') args.push('-tls');
    if (m.encryption !== 'none') {
      if (m.verify) args.push('--tls-verify');
      if (m.ca !== undefined) args.push(`--tls-ca-path ${q(m.ca)}`);
      if (m.servername !== undefined && m.servername !== m.host) args.push(`--tls-sni ${q(m.servername)}`);
      if (m.minVersion !== undefined) args.push(`--tls-protocol ${PROTOCOLS[m.minVersion]}`);
    }
    const env: string[] = [];
    if (m.auth === 'password') {
      args.push(`--auth ${AUTH[m.method] ?? 'LOGIN'}`);
      if (m.username !== undefined) args.push(`--auth-user ${q(m.username)}`);
      const password = ctx.secret('password', {
        literal: q,
        env: (name) => `"\${${name}:?set ${name}}"`,
        file: (path) => `"$(cat ${q(path)})"`,
      });
      if (password !== undefined) env.push(`SWAKS_OPT_auth_password=${password}`, 'export SWAKS_OPT_auth_password');
    }
    if (m.from) {
      args.push(`--from ${q(m.from.address)}`);
      if (m.from.name) args.push(`--h-From ${q(`${encodedWord(m.from.name)} <${m.from.address}>`)}`);
    }
    if (m.replyTo !== undefined) args.push(`--h-Reply-To ${q(m.replyTo)}`);
    if (m.ehlo !== undefined) args.push(`--ehlo ${q(m.ehlo)}`);
    const timeout = singleTimeout(m.timeouts);
    if (timeout !== undefined) args.push(`--timeout ${seconds(timeout)}s`);
    const content = [
      '#!/bin/sh',
      `# ${banner('swaks', m)}`,
      '# Use: sh swaks.sh --to you@example.com',
      ...env,
      `exec swaks \\\n  ${[...args, '"$@"'].join(' \\\n  ')}`,
      '',
    ].join('\n');
    return [{ name: 'swaks.sh', content }];
  },
});
