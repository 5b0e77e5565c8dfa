import { compact, jsonFile } from './formats.ts';
import type { FormGuide, GuideStep, Texts } from './guide/guide.ts';
import { defineRenderer, type Model } from './model.ts';

/**
 * SHARE info's 設定 > メールサーバー page, field by field, in the page's order. The app and its
 * help page (seed:004_b71683267da261f5.txt) are Japanese: the Japanese labels are the app's; the
 * English and Italian ones are translations for the guide.
 */
export const SHARE_INFO_LABELS = {
  serverType: { en: 'Server type', ja: 'サーバーの種類', it: 'Tipo di server' },
  host: { en: 'Host name', ja: 'ホスト名', it: 'Nome host' },
  fromAddress: { en: "Sender address of the site's mail", ja: 'サイトが送信するメールの送信元アドレス', it: 'Indirizzo mittente delle email del sito' },
  fromName: { en: 'Sender name', ja: '送信元の名前', it: 'Nome mittente' },
  port: { en: 'Server port', ja: 'サーバーのポート', it: 'Porta del server' },
  username: { en: 'User name', ja: 'ユーザー名', it: 'Nome utente' },
  password: { en: 'Password', ja: 'パスワード', it: 'Password' },
  encryption: { en: 'Encryption', ja: '暗号化', it: 'Crittografia' },
  smtpAuth: { en: 'SMTP authentication', ja: 'SMTP認証', it: 'Autenticazione SMTP' },
  save: { en: 'Save changes', ja: '変更を保存', it: 'Salva le modifiche' },
} as const satisfies Record<string, Texts>;

/** The options of the two selects, as the page shows them. */
export const SHARE_INFO_OPTIONS = {
  custom: 'カスタムサーバー',
  gmail: 'GMailサーバー',
  none: 'なし',
  ssl: 'ssl',
  tls: 'tls',
  authYes: 'する',
  authNo: 'しない',
} as const;

const L = SHARE_INFO_LABELS;
const O = SHARE_INFO_OPTIONS;

function isGmail(m: Model): boolean {
  return m.host === 'smtp.gmail.com';
}

function values(m: Model) {
  const encryption = m.encryption === 'ssl' ? O.ssl : m.encryption === 'starttls' ? O.tls : O.none;
  return { serverType: isGmail(m) ? O.gmail : O.custom, encryption, auth: m.auth === 'none' ? O.authNo : O.authYes };
}

export function shareInfoGuide(m: Model): FormGuide {
  const v = values(m);
  const gmail = isGmail(m);
  const auto: Texts = { en: 'filled in by GMailサーバー', ja: 'GMailサーバーを選択すると自動で設定されます', it: 'compilato da GMailサーバー' };
  const steps: GuideStep[] = [
    { label: L.serverType, action: 'select', value: v.serverType },
    gmail ? { label: L.host, action: 'auto', value: m.host, note: auto } : { label: L.host, action: 'type', value: m.host },
    m.from ? { label: L.fromAddress, action: 'type', value: m.from.address } : { label: L.fromAddress, action: 'leave-empty' },
    m.from?.name ? { label: L.fromName, action: 'type', value: m.from.name } : { label: L.fromName, action: 'leave-empty' },
    gmail ? { label: L.port, action: 'auto', value: String(m.port), note: auto } : { label: L.port, action: 'type', value: String(m.port), note: { en: 'digits only', ja: '数字のみ', it: 'solo cifre' } },
    m.username ? { label: L.username, action: 'type', value: m.username } : { label: L.username, action: 'leave-empty' },
    m.auth === 'password' ? { label: L.password, action: 'secret', secret: 'password' } : { label: L.password, action: 'leave-empty' },
    { label: L.encryption, action: 'select', value: v.encryption },
    {
      label: L.smtpAuth,
      action: 'select',
      value: v.auth,
      note: {
        en: 'a manual saying "SMTP-AUTH", "送信サーバー認証" or "outgoing server requires authentication: yes" means する',
        ja: '「SMTP-AUTH」「送信サーバー認証」「送信メールサーバーは認証が必要:はい」と書かれていたら する',
        it: 'un manuale che dice "SMTP-AUTH", "送信サーバー認証" o "il server in uscita richiede l\'autenticazione" significa する',
      },
    },
  ];
  return {
    app: 'SHARE info',
    where: { en: 'Admin: 設定 (Settings) > メールサーバー (Mail server)', ja: '管理画面の「設定」>「メールサーバー」', it: 'Amministrazione: 設定 > メールサーバー' },
    steps,
    finally: [
      L.save,
      {
        en: 'send a real message (e.g. a sign-up) and check the sender; to return to the default sender, empty every field and Save changes',
        ja: '利用登録などでメールが送信されるか確認。初期状態に戻すには全ての項目を消して「変更を保存」',
        it: 'invia un messaggio reale e controlla il mittente; per tornare al mittente predefinito svuota tutti i campi e salva',
      },
    ],
    sources: ['seed:004_b71683267da261f5.txt'],
  };
}

export const renderer = defineRenderer({
  id: 'share-info',
  title: 'SHARE info',
  writes: 'JSON keyed by the メールサーバー page labels: サーバーの種類, ホスト名, 送信元アドレス, 送信元の名前, サーバーのポート, ユーザー名, パスワード, 暗号化, SMTP認証',
  status: 'verified',
  statusNote: "labels and option values read in the app's own help page (seed:004, Japanese, the app's language); the app has no import format (the JSON is what to type)",
  cannot: {
    'tls.verify': 'no field',
    'tls.ca': 'no field',
    'tls.servername': 'no field',
    'tls.minVersion': 'no field',
    'auth.xoauth2': 'the page takes a password only',
    replyTo: 'no field',
    bcc: 'no field',
    charset: 'no field',
    ehlo: 'no field',
    timeouts: 'no field',
  },
  limits: ['plans: only SHARE info Biz and シェアプラン can change the sender (seed:004)'],
  build(ctx) {
    const { m } = ctx;
    const v = values(m);
    // seed:004: most providers need SMTP認証 する ("SMTP-AUTH", "送信サーバー認証" in their manuals)
    if (v.auth === O.authNo && m.port !== 25) {
      ctx.warn('auth.method', `SMTP認証 しない on port ${m.port}: most providers need する (a manual saying SMTP-AUTH, 送信サーバー認証 or "送信メールサーバーは認証が必要:はい" means する)`, 'smtp-auth-off', { port: m.port });
    }
    const password = m.auth === 'password' ? ctx.secret('password', { literal: (s) => s }) : undefined;
    const form = compact({
      [L.serverType.ja]: v.serverType,
      [L.host.ja]: m.host,
      [L.fromAddress.ja]: m.from?.address,
      [L.fromName.ja]: m.from?.name,
      [L.port.ja]: m.port,
      [L.username.ja]: m.username,
      [L.password.ja]: password,
      [L.encryption.ja]: v.encryption,
      [L.smtpAuth.ja]: v.auth,
    });
    return [{ name: 'share-info-smtp.json', content: jsonFile(form) }];
  },
});
