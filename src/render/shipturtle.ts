import { compact, jsonFile } from './formats.ts';
import type { FormGuide, GuideStep, Texts } from './guide/guide.ts';
import { defineRenderer, type Model } from './model.ts';

/**
 * Shipturtle's custom email (SMTP) form. The help page exists only machine-translated: Japanese in
 * seed:002_1d1d40629913fc92.txt, Italian at https://shipturtle.com/it/help/article/add-custom-email-domain-and-notifications.
 * Both render the same English original ("Driver" became ドライバー / "Autista"); the English
 * labels here are that original read back, not read on an English page. The page names five
 * fields; the rest ("enter the remaining details") are not named: their labels are ours.
 */
export const SHIPTURTLE_LABELS = {
  driver: { en: 'Driver', ja: 'ドライバー', it: 'Autista' },
  password: { en: 'Password', ja: 'パスワード', it: 'Password' },
  outgoingServer: { en: 'Outgoing Server', ja: '送信サーバー', it: 'Server in uscita' },
  port: { en: 'Port', ja: 'ポート', it: 'Porta' },
  encryptionType: { en: 'Encryption Type', ja: '暗号化タイプ', it: 'Tipo di crittografia' },
} as const satisfies Record<string, Texts>;

/** Fields the page leaves to "the remaining details": not named there (our labels). */
const UNNAMED = {
  username: { en: 'Username (not named on the help page)', ja: 'ユーザー名(ヘルプページに記載なし)', it: 'Nome utente (non indicato nella guida)' },
  fromAddress: { en: 'From email (not named on the help page)', ja: '送信元メールアドレス(ヘルプページに記載なし)', it: 'Email mittente (non indicato nella guida)' },
  fromName: { en: 'From name (not named on the help page)', ja: '送信者名(ヘルプページに記載なし)', it: 'Nome mittente (non indicato nella guida)' },
} as const satisfies Record<string, Texts>;

const L = SHIPTURTLE_LABELS;

/** SSL with 465, TLS with 587 (the page's rule); none has no option. */
function encryptionType(m: Model): string {
  return m.encryption === 'ssl' ? 'SSL' : m.encryption === 'starttls' ? 'TLS' : '';
}

export function shipturtleGuide(m: Model): FormGuide {
  const enc = encryptionType(m);
  const steps: GuideStep[] = [
    { label: L.driver, action: 'select', value: 'SMTP' },
    m.auth === 'password'
      ? { label: L.password, action: 'secret', secret: 'password', note: { en: 'Gmail / Microsoft 365 with two-step sign-in: an app password', ja: 'Gmail・2 要素認証の Microsoft 365 ではアプリパスワード', it: "Gmail / Microsoft 365 con verifica in due passaggi: una password per l'app" } }
      : { label: L.password, action: 'leave-empty' },
    { label: L.outgoingServer, action: 'type', value: m.host },
    { label: L.port, action: 'type', value: String(m.port) },
    enc
      ? { label: L.encryptionType, action: 'select', value: enc, note: { en: 'SSL with port 465, TLS with port 587', ja: 'ポート 465 には SSL、587 には TLS', it: 'SSL con la porta 465, TLS con la porta 587' } }
      : { label: L.encryptionType, action: 'leave-empty', note: { en: 'the page offers SSL or TLS only', ja: 'SSL または TLS のみ', it: 'solo SSL o TLS' } },
  ];
  if (m.username) steps.push({ label: UNNAMED.username, action: 'type', value: m.username });
  if (m.from) steps.push({ label: UNNAMED.fromAddress, action: 'type', value: m.from.address });
  if (m.from?.name) steps.push({ label: UNNAMED.fromName, action: 'type', value: m.from.name });
  return {
    app: 'Shipturtle',
    where: { en: 'Settings → Email Configuration → Custom Email Configuration', ja: '[設定] -> [メール設定] -> [カスタムメール設定]', it: 'Impostazioni -> Configurazione e-mail -> Configurazione e-mail personalizzata' },
    steps,
    finally: [
      {
        en: 'send the test email: Save stays disabled until one was sent (mailcheck: `deploy --send-test`)',
        ja: 'テストメールを送信(送信するまで [保存] は無効。mailcheck では `deploy --send-test`)',
        it: "invia l'email di prova: il salvataggio resta inattivo fino ad allora (mailcheck: `deploy --send-test`)",
      },
      { en: 'Save; check Settings → Email Logs (mailcheck: `send --log FILE`)', ja: '保存し、[設定]-> [メールログ] を確認(mailcheck では `send --log FILE`)', it: 'Salva; controlla il registro email (mailcheck: `send --log FILE`)' },
    ],
    sources: ['seed:002_1d1d40629913fc92.txt', 'https://shipturtle.com/it/help/article/add-custom-email-domain-and-notifications'],
  };
}

export const renderer = defineRenderer({
  id: 'shipturtle',
  title: 'Shipturtle',
  writes: 'JSON keyed by the custom email form labels: Driver, Password, Outgoing Server, Port, Encryption Type, then username and From',
  status: 'derived',
  statusNote:
    'labels read only in machine-translated help pages (seed:002 Japanese, shipturtle.com/it Italian); the English labels are those pages read back, and username/From are not named on the page',
  cannot: {
    'tls.verify': 'no field',
    'tls.ca': 'no field',
    'tls.servername': 'no field',
    'tls.minVersion': 'no field',
    'auth.xoauth2': 'the SMTP driver takes a password (app password for Gmail / Microsoft 365)',
    replyTo: 'no field named on the page',
    bcc: 'no field named on the page',
    charset: 'no field',
    ehlo: 'no field',
    timeouts: 'no field',
  },
  limits: ['encryption: none (the page offers SSL or TLS only)'],
  build(ctx) {
    const { m } = ctx;
    const enc = encryptionType(m);
    if (!enc) ctx.warn('encryption', 'Shipturtle offers encryption type SSL or TLS only: encryption: none cannot be expressed (Encryption Type left empty)', 'none-not-offered', { port: m.port });
    // seed:002: "SSL with port 465, TLS with port 587"
    if ((enc === 'SSL' && m.port !== 465) || (enc === 'TLS' && m.port !== 587)) {
      ctx.warn('encryption', `Shipturtle's rule is SSL with port 465 and TLS with port 587: Encryption Type ${enc} on port ${m.port} is not one of them`, 'encryption-port-rule', { encryption: enc, port: m.port });
    }
    const password = m.auth === 'password' ? ctx.secret('password', { literal: (v) => v }) : undefined;
    const form = compact({
      [L.driver.en]: 'SMTP',
      [L.password.en]: password,
      [L.outgoingServer.en]: m.host,
      [L.port.en]: m.port,
      [L.encryptionType.en]: enc || undefined,
      Username: m.username,
      'From email': m.from?.address,
      'From name': m.from?.name,
    });
    return [{ name: 'shipturtle-smtp.json', content: jsonFile(form) }];
  },
});
