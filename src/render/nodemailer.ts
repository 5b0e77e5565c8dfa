import { oauthSettingsOf } from '../oauth/config.ts';
import { jsString } from './escape.ts';
import { Raw } from './formats.ts';
import { banner, defineRenderer, mailbox, type SecretStyle } from './model.ts';

type JsValue = string | number | boolean | Raw | string[] | JsObject | Raw[];
interface JsObject {
  [key: string]: JsValue | undefined;
}

/** A JavaScript object literal; Raw members are expressions, written as is. */
function js(value: JsValue, indent = ''): string {
  if (value instanceof Raw) return value.text;
  if (typeof value === 'string') return jsString(value);
  if (typeof value !== 'object') return String(value);
  if (Array.isArray(value)) return `[${value.map((v) => js(v, indent)).join(', ')}]`;
  const inner = `${indent}  `;
  const members = Object.entries(value)
    .filter((e): e is [string, JsValue] => e[1] !== undefined)
    .map(([k, v]) => `${inner}${/^[A-Za-z_$][\w$]*$/.test(k) ? k : jsString(k)}: ${js(v, inner)},`);
  return members.length ? `{\n${members.join('\n')}\n${indent}}` : '{}';
}

const AUTH_METHOD: Record<string, string> = { login: 'LOGIN', plain: 'PLAIN', 'cram-md5': 'CRAM-MD5' };

// nodemailer lib/smtp-connection + lib/smtp-transport: `secure` is implicit TLS (set explicitly,
// so port 465 magic never decides), `requireTLS` makes STARTTLS mandatory, `ignoreTLS` never
// upgrades. The module exports the two arguments of nodemailer.createTransport(transport, defaults).
export const renderer = defineRenderer({
  id: 'nodemailer',
  title: 'Nodemailer',
  writes: '`mailer.mjs` exporting `transport` and `defaults` for nodemailer.createTransport(transport, defaults)',
  status: 'verified',
  // nodemailer lib/xoauth2/index.js (github.com/nodemailer/nodemailer): auth.type 'OAuth2' with
  // user, clientId, clientSecret, refreshToken, accessToken, accessUrl; it refreshes the token itself
  xoauth2: { support: 'yes', note: "auth.type 'OAuth2': refreshes the access token at accessUrl with the refresh token (nodemailer lib/xoauth2)" },
  cannot: {
    charset: 'Nodemailer writes UTF-8 (set textEncoding/charset per message if you must)',
  },
  build(ctx) {
    const { m } = ctx;
    let needsFs = false;
    const style: SecretStyle = {
      literal: jsString,
      env: (name) => `process.env[${jsString(name)}]`,
      file: (path) => {
        needsFs = true;
        return `readFileSync(${jsString(path)}, 'utf8').replace(/\\r?\\n$/, '')`;
      },
    };
    const secret = (field: 'password' | 'clientSecret' | 'refreshToken' | 'accessToken') => {
      const text = ctx.secret(field, style);
      return text === undefined ? undefined : new Raw(text);
    };
    let auth: JsObject | undefined;
    if (m.auth === 'password') {
      auth = { user: m.username, pass: secret('password') };
    } else if (m.auth === 'xoauth2') {
      const a = m.profile.auth!;
      auth = {
        type: 'OAuth2',
        user: m.username,
        clientId: a.clientId,
        clientSecret: secret('clientSecret'),
        refreshToken: secret('refreshToken'),
        accessToken: secret('accessToken'),
        // the preset's endpoint (tenant filled in) when the profile names none: nodemailer's own default is Google's
        accessUrl: a.tokenUrl ?? (oauthSettingsOf(m.profile).tokenUrlFrom === 'preset' ? oauthSettingsOf(m.profile).tokenUrl : undefined),
      };
    }
    let tls: JsObject | undefined;
    if (m.encryption !== 'none') {
      tls = { rejectUnauthorized: m.verify };
      if (m.servername !== undefined) tls.servername = m.servername;
      if (m.minVersion !== undefined) tls.minVersion = m.minVersion;
      if (m.ca !== undefined) {
        needsFs = true;
        tls.ca = [new Raw(`readFileSync(${jsString(m.ca)})`)];
      }
    }
    const transport: JsObject = {
      host: m.host,
      port: m.port,
      secure: m.encryption === 'ssl',
      requireTLS: m.encryption === 'starttls' ? true : undefined,
      ignoreTLS: m.encryption === 'none' ? true : undefined,
      auth,
      authMethod: m.auth === 'password' ? AUTH_METHOD[m.method] : undefined,
      tls,
      name: m.ehlo,
      connectionTimeout: m.timeouts.connect,
      greetingTimeout: m.timeouts.greeting,
      socketTimeout: m.timeouts.command,
    };
    const defaults: JsObject = {
      from: m.from ? mailbox(m.from) : undefined,
      replyTo: m.replyTo,
      bcc: m.bcc.length > 0 ? m.bcc : undefined,
    };
    const content = [
      `// ${banner('Nodemailer', m)}`,
      '// Use: nodemailer.createTransport(transport, defaults)',
      ...(needsFs ? ["import { readFileSync } from 'node:fs';"] : []),
      '',
      `export const transport = ${js(transport)};`,
      '',
      `export const defaults = ${js(defaults)};`,
      '',
    ].join('\n');
    return [{ name: 'mailer.mjs', content }];
  },
});
