import { compact, jsonFile } from './formats.ts';
import { type FormGuide, type GuideStep, type Texts } from './guide/guide.ts';
import { defineRenderer, type Model } from './model.ts';

/**
 * The Email settings form of Manager.io, field by field, in the form's order. English labels from
 * https://www.manager.io/guides/email-settings-form (and the English headings kept in
 * seed:000_ba66151023d1eb15.txt), Japanese from seed:000_ba66151023d1eb15.txt, Italian from
 * seed:003_da24dc36e669a874.txt. Where the Italian page does not show a label (it was cut in the
 * copy), the English label is used; docs/seed-apps.md lists which.
 */
export const MANAGER_IO_LABELS = {
  protocol: { en: 'Protocol', ja: 'プロトコル', it: 'Protocollo' },
  httpServer: { en: 'HTTP Server', ja: 'HttpServer', it: 'Server HTTP' },
  replyToHttp: { en: 'Reply to', ja: '返信先', it: 'Reply to' },
  smtpServer: { en: 'SMTP Server', ja: 'SMTPサーバー', it: 'Server SMTP' },
  port: { en: 'Port', ja: 'ポート', it: 'Porta' },
  username: { en: 'Username', ja: 'ユーザーネーム', it: 'Nome utente' },
  emailAddress: { en: 'Email address', ja: 'EmailAddress', it: 'Indirizzo Email' },
  password: { en: 'Password', ja: 'パスワード', it: 'Password' },
  sendCopy: { en: 'Send a copy of every email to this address', ja: 'コピーを送信', it: 'Invia una copia di ciascuna email a questo indirizzo' },
  replyTo: {
    en: 'Receive email replies at a different address than you send from',
    ja: '送信元のメールアドレスとは異なるアドレスで返信を受け取る',
    it: 'Ricevi risposte e-mail a un indirizzo diverso da quello da cui invii',
  },
  noVerify: { en: 'Do Not Verify TLS Certificate', ja: 'TLS証明書を確認しない', it: 'Non verificare il certificato TLS' },
  testButton: { en: 'Test email settings', ja: 'テストメール設定', it: 'Testare le impostazioni email' },
  updateButton: { en: 'Update', ja: '更新', it: 'Update' },
} as const satisfies Record<string, Texts>;

/** Manager.io's free public HTTP mail service (seed:000, seed:003). */
export const MANAGER_IO_FREE_HTTP = 'email.manager.io';

const L = MANAGER_IO_LABELS;
const ADDRESS = /^[^@\s]+@[^@\s]+$/;

/** The seed's rule: the Email address field appears only when the username is not an address. */
export function needsEmailAddress(username: string | undefined): boolean {
  return username !== undefined && !ADDRESS.test(username);
}

/** What to type in the HTTP Server field: the host alone for a bare https://host URL (as the seed's email.manager.io). */
export function httpServerValue(url: string | undefined): string | undefined {
  if (!url) return undefined;
  const bare = /^https:\/\/([A-Za-z0-9.-]+)\/?$/.exec(url);
  return bare ? bare[1] : url;
}

interface Fields {
  smtp: boolean;
  httpServer?: string;
  replyToHttp?: string;
  host: string;
  port: number;
  username?: string;
  emailAddress?: string;
  copy?: string;
  replyTo?: string;
  noVerify: boolean;
}

function fieldsOf(m: Model): Fields {
  const p = m.profile;
  if (m.transport === 'http') {
    return compact({ smtp: false, httpServer: httpServerValue(p.http?.url), replyToHttp: p.http?.replyTo ?? m.replyTo, host: '', port: 0, noVerify: false }) as Fields;
  }
  const username = m.auth === 'password' ? m.username : undefined;
  return compact({
    smtp: true,
    host: m.host,
    port: m.port,
    username,
    emailAddress: needsEmailAddress(username) ? m.from?.address : undefined,
    copy: m.bcc[0],
    replyTo: m.replyTo,
    noVerify: !m.verify,
  }) as Fields;
}

export function managerIoGuide(m: Model): FormGuide {
  const f = fieldsOf(m);
  const steps: GuideStep[] = [{ label: L.protocol, action: 'select', value: f.smtp ? 'SMTP' : 'HTTP' }];
  if (!f.smtp) {
    steps.push({
      label: L.httpServer,
      action: f.httpServer ? 'type' : 'leave-empty',
      ...(f.httpServer ? { value: f.httpServer } : {}),
      note: {
        en: `${MANAGER_IO_FREE_HTTP} is Manager.io's free public mail service`,
        ja: `${MANAGER_IO_FREE_HTTP} は Manager.io の無料のパブリックメールサービス`,
        it: `${MANAGER_IO_FREE_HTTP} è il servizio email pubblico gratuito di Manager.io`,
      },
    });
    steps.push(f.replyToHttp ? { label: L.replyToHttp, action: 'type', value: f.replyToHttp } : { label: L.replyToHttp, action: 'leave-empty' });
  } else {
    steps.push({ label: L.smtpServer, action: 'type', value: f.host });
    steps.push({
      label: L.port,
      action: 'type',
      value: String(f.port),
      note: { en: '465 or 587 are encrypted; 25 is not', ja: '465 または 587 は暗号化されます。25 は暗号化されません', it: '465 o 587 sono criptate, la 25 no' },
    });
    steps.push(f.username ? { label: L.username, action: 'type', value: f.username } : { label: L.username, action: 'leave-empty' });
    steps.push(
      f.emailAddress
        ? { label: L.emailAddress, action: 'type', value: f.emailAddress, note: { en: 'shown because the username is not an email address', ja: 'ユーザーネームがメールアドレスの形式でないため表示されます', it: 'visualizzato perché il nome utente non è un indirizzo email' } }
        : { label: L.emailAddress, action: 'hidden' },
    );
    steps.push(m.auth === 'password' ? { label: L.password, action: 'secret', secret: 'password' } : { label: L.password, action: 'leave-empty' });
    steps.push(f.copy ? { label: L.sendCopy, action: 'check', value: f.copy } : { label: L.sendCopy, action: 'uncheck' });
    steps.push(f.replyTo ? { label: L.replyTo, action: 'check', value: f.replyTo } : { label: L.replyTo, action: 'uncheck' });
    steps.push(
      f.noVerify
        ? { label: L.noVerify, action: 'check', note: { en: 'only for your own server with a self-signed certificate', ja: '自分のサーバーで自己署名証明書を使用している場合のみ', it: 'solo per il tuo server con certificati autofirmati' } }
        : { label: L.noVerify, action: 'uncheck' },
    );
  }
  return {
    app: 'Manager.io',
    where: { en: 'Settings → Email Settings', ja: 'SMTPサーバー設定', it: 'Impostazioni → Email' },
    steps,
    finally: [L.testButton, L.updateButton],
    sources: ['seed:000_ba66151023d1eb15.txt', 'seed:003_da24dc36e669a874.txt', 'https://www.manager.io/guides/email-settings-form'],
  };
}

// Manager.io has no import format: the JSON is keyed by the form's English labels, a record of
// what to type. There is no encryption field; the TLS mode appears to follow the port (unverified).
export const renderer = defineRenderer({
  id: 'manager-io',
  title: 'Manager.io',
  writes: 'JSON keyed by the Email settings form labels: Protocol, SMTP Server, Port, Username, Email address, Password, copy and reply-to addresses, Do Not Verify TLS Certificate (or HTTP Server, Reply to)',
  status: 'verified',
  statusNote:
    'labels read in the official guide (manager.io/guides/email-settings-form) and its Japanese and Italian copies (seed:000, seed:003); Manager.io has no import format (the JSON is what to type); how it picks TLS from the port is not documented (warned)',
  transports: ['smtp', 'http'],
  cannot: {
    'tls.ca': 'no field',
    'tls.servername': 'no field',
    'tls.minVersion': 'no field',
    'auth.xoauth2': 'the form takes a password only',
    'from.name': 'no From name field',
    charset: 'no field',
    ehlo: 'no field',
    timeouts: 'no field',
  },
  limits: ['encryption: no field (mode appears to follow the port: unverified)', 'bcc: one address', 'from.address: only when the username is not an address'],
  build(ctx) {
    const { m } = ctx;
    const f = fieldsOf(m);
    if (!f.smtp) {
      const form = compact({ Protocol: 'HTTP', [L.httpServer.en]: f.httpServer, [L.replyToHttp.en]: f.replyToHttp });
      return [{ name: 'manager-io-email.json', content: jsonFile(form) }];
    }
    const usual = (m.encryption === 'ssl' && m.port === 465) || (m.encryption === 'starttls' && m.port !== 465);
    if (!usual) {
      ctx.warn('encryption', `Manager.io has no encryption field and appears to pick the TLS mode from the port (unverified): encryption: ${m.encryption} on port ${m.port} may not be honoured`, 'port-decides-tls', { encryption: m.encryption, port: m.port });
    }
    // seed:000 / seed:003: 465 or 587 are encrypted and recommended, 25 is not
    if (m.port === 25) ctx.warn('port', 'Manager.io recommends port 465 or 587 (encrypted); port 25 is unencrypted', 'port-25-unencrypted', { port: m.port });
    // seed:000 / seed:003: "Do Not Verify TLS Certificate" only for your own server with a self-signed certificate
    if (f.noVerify) ctx.warn('tls.verify', 'Do Not Verify TLS Certificate is only for your own server with a self-signed certificate; leave it unticked for Gmail, Yahoo Mail or Office 365', 'no-verify-own-server-only', { host: m.host });
    if (m.bcc.length > 1) ctx.warn('bcc', `Manager.io sends a copy to one address: ${m.bcc.length - 1} more cannot be expressed`, 'one-copy-address', { extra: m.bcc.length - 1 });
    if (f.username !== undefined && !needsEmailAddress(f.username) && m.from && m.from.address !== f.username) {
      ctx.warn('from.address', `Manager.io shows the Email address field only when the username is not an address: it sends as ${f.username}, not ${m.from.address}`, 'from-is-username', { username: f.username, from: m.from.address });
    }
    const password = m.auth === 'password' ? ctx.secret('password', { literal: (v) => v }) : undefined;
    const form = compact({
      Protocol: 'SMTP',
      [L.smtpServer.en]: f.host,
      [L.port.en]: f.port,
      [L.username.en]: f.username,
      [L.emailAddress.en]: f.emailAddress,
      [L.password.en]: password,
      [L.sendCopy.en]: f.copy,
      [L.replyTo.en]: f.replyTo,
      [L.noVerify.en]: f.noVerify ? true : undefined,
    });
    return [{ name: 'manager-io-email.json', content: jsonFile(form) }];
  },
});

