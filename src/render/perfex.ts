import { compact, jsonFile } from './formats.ts';
import { same, type FormGuide, type GuideStep, type Texts } from './guide/guide.ts';
import { banner, defineRenderer, type Model } from './model.ts';

/** Perfex's OAuth2 mail protocols, by the provider's SMTP host. */
function oauthProvider(host: string): 'google' | 'microsoft' | undefined {
  if (/(^|\.)(gmail|googlemail|google)\.com$/.test(host)) return 'google';
  if (/(^|\.)(office365|outlook)\.com$/.test(host)) return 'microsoft';
  return undefined;
}

/**
 * The options of Perfex's Setup → Settings → Email page, in the page's order, with the page's
 * English labels (application/language/english/english_lang.php) and Djaboo's Japanese labels
 * (seed:001_53630fd77de206bd.txt). There is no Italian page: Italian guides use the English labels.
 */
export const PERFEX_FIELDS = {
  mail_engine: { en: 'Mail Engine', ja: 'メッセージング エンジン' },
  email_protocol: { en: 'Email Protocol', ja: 'メッセージングプロトコル' },
  smtp_encryption: { en: 'Email Encryption', ja: '電子メールの暗号化' },
  smtp_host: { en: 'SMTP Host', ja: 'SMTPホスト' },
  smtp_port: { en: 'SMTP Port', ja: 'ポートSMTP' },
  smtp_email: { en: 'SMTP Email', ja: '電子メール' },
  smtp_username: { en: 'SMTP Username', ja: 'SMTP ユーザー名' },
  smtp_password: { en: 'SMTP Password', ja: 'SMTP パスワード' },
  smtp_email_charset: { en: 'Email Charset', ja: '電子メールの文字セット' },
  bcc_emails: { en: 'BCC All Emails To', ja: 'すべてのメールを BCC に送信' },
  email_signature: { en: 'Email Signature', ja: '電子メールの署名' },
  email_header: { en: 'Predefined Header', ja: '定義済みヘッダー' },
  email_footer: { en: 'Predefined Footer', ja: '事前定義されたフッター' },
} as const;

export type PerfexOption = keyof typeof PERFEX_FIELDS;

function label(option: PerfexOption): Texts {
  const l = PERFEX_FIELDS[option];
  return { en: l.en, ja: l.ja, it: l.en };
}

/** The options mailcheck writes, by Perfex's own option names (never smtp_password). */
export function perfexOptions(m: Model): Record<string, string> {
  const provider = m.auth === 'xoauth2' ? oauthProvider(m.host) : undefined;
  const msg = m.profile.message;
  const sendmail = m.transport === 'sendmail';
  const protocol = sendmail ? (m.profile.sendmail?.interface === 'php-mail' ? 'mail' : 'sendmail') : (provider ?? 'smtp');
  const options = compact({
    mail_engine: 'phpmailer',
    email_protocol: protocol,
    smtp_encryption: sendmail ? '' : m.encryption === 'ssl' ? 'ssl' : m.encryption === 'starttls' ? 'tls' : '',
    smtp_host: sendmail ? '' : m.host,
    smtp_port: sendmail ? '' : String(m.port),
    smtp_email: m.from?.address ?? '',
    smtp_username: sendmail || m.auth === 'none' ? '' : (m.username ?? ''),
    smtp_email_charset: m.charset ?? 'utf-8',
    bcc_emails: m.bcc.join(','),
    email_signature: msg?.signature,
    email_header: msg?.header,
    email_footer: msg?.footer,
    google_mail_client_id: provider === 'google' ? m.profile.auth?.clientId : undefined,
    microsoft_mail_client_id: provider === 'microsoft' ? m.profile.auth?.clientId : undefined,
  });
  return options as Record<string, string>;
}

/** A MySQL string literal: backslash escapes for \, ', NUL, CR, LF and Ctrl-Z (NO_BACKSLASH_ESCAPES off, the default). */
export function sqlString(value: string): string {
  const map: Record<string, string> = { '\\': '\\\\', "'": "\\'", '\0': '\\0', '\n': '\\n', '\r': '\\r', '\x1a': '\\Z' };
  return `'${value.replace(/[\\'\0\n\r\x1a]/g, (c) => map[c]!)}'`;
}

const TABLE = '`tbloptions`';

/** The options as SQL for Perfex's options table: each row created when missing, then updated. */
export function perfexSql(m: Model, options: Record<string, string>): string {
  const lines = [
    `-- ${banner('Perfex CRM / Djaboo', m)}`,
    '-- The Email settings (Setup → Settings → Email) as rows of Perfex\'s options table, an alternative to the UI.',
    '-- The table is `tbloptions` with the default db_prefix "tbl"; change the name if your install uses another prefix.',
    '-- smtp_password is NOT written: Perfex stores it encrypted with the installation\'s encryption key',
    '-- (application/config/app-config.php) and decrypts it before sending (application/config/email.php), so a',
    '-- plain value in the table would not work. Enter the password in Setup → Settings → Email.',
    'START TRANSACTION;',
  ];
  for (const [name, value] of Object.entries(options)) {
    const n = sqlString(name);
    lines.push(`INSERT INTO ${TABLE} (\`name\`, \`value\`, \`autoload\`) SELECT ${n}, '', 1 FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM ${TABLE} WHERE \`name\` = ${n});`);
    lines.push(`UPDATE ${TABLE} SET \`value\` = ${sqlString(value)} WHERE \`name\` = ${n};`);
  }
  lines.push('COMMIT;');
  return `${lines.join('\n')}\n`;
}

const ENCRYPTION_LABEL: Record<string, Texts> = {
  ssl: same('SSL'),
  tls: same('TLS'),
  '': { en: 'None', ja: 'なし', it: 'None' },
};

/** The UI path: Setup → Settings → Email, field by field. */
export function perfexGuide(m: Model): FormGuide {
  const o = perfexOptions(m);
  const smtp = o.email_protocol === 'smtp';
  const typed = (option: PerfexOption, note?: Texts): GuideStep => {
    const value = o[option] ?? '';
    return { label: label(option), action: value === '' ? 'leave-empty' : 'type', value, ...(note ? { note } : {}) };
  };
  const protocolLabel = { smtp: 'SMTP', sendmail: 'Sendmail', mail: 'Mail', google: 'Gmail OAuth 2.0', microsoft: 'Microsoft OAuth 2.0' }[o.email_protocol ?? 'smtp'] ?? 'SMTP';
  const steps: GuideStep[] = [
    { label: label('mail_engine'), action: 'select', value: 'PHPMailer' },
    { label: label('email_protocol'), action: 'select', value: protocolLabel },
  ];
  if (o.email_protocol !== 'mail' && o.email_protocol !== 'sendmail') {
    steps.push(
      {
        label: label('smtp_encryption'),
        action: 'select',
        value: ENCRYPTION_LABEL[o.smtp_encryption ?? '']!,
        note: {
          en: 'SSL goes with 465, TLS with 587, None with 25: do not mix them',
          ja: 'SSL はポート 465、TLS は 587、なし は 25。混ぜないでください',
          it: 'SSL goes with 465, TLS with 587, None with 25: do not mix them',
        },
      },
      typed('smtp_host'),
      typed('smtp_port'),
    );
  }
  steps.push(typed('smtp_email', { en: 'the From address of every email', ja: 'すべてのメールの FROM ヘッダー', it: 'the From address of every email' }));
  if (smtp) {
    steps.push(
      typed('smtp_username', {
        en: 'only when the login is not the SMTP Email (Exchange: a user name, not the address)',
        ja: 'ログインが電子メールアドレスと異なる場合のみ(Exchange はユーザー名)',
        it: 'only when the login is not the SMTP Email (Exchange: a user name, not the address)',
      }),
    );
    steps.push(
      m.auth === 'password'
        ? { label: label('smtp_password'), action: 'secret', secret: 'password', note: { en: 'Perfex stores it encrypted: type it here, not in the database', ja: 'Perfex は暗号化して保存します。データベースではなくここに入力', it: 'Perfex stores it encrypted: type it here, not in the database' } }
        : { label: label('smtp_password'), action: 'leave-empty' },
    );
  }
  // Perfex ships a default header and footer (install/database.sql): what mail.yaml does not set is kept, not emptied
  const kept = (option: PerfexOption): GuideStep => (o[option] === undefined ? { label: label(option), action: 'keep' } : typed(option));
  steps.push(typed('smtp_email_charset'), typed('bcc_emails', same('comma-separated')), kept('email_signature'), kept('email_header'), kept('email_footer'));
  return {
    app: 'Perfex CRM / Djaboo',
    where: { en: 'Setup → Settings → Email', ja: '設定 -> セットアップ -> Eメール', it: 'Setup → Settings → Email' },
    steps,
    finally: [
      { en: 'Save Settings', ja: '設定を保存', it: 'Save Settings' },
      { en: 'Send Test Email (or `mailcheck send` with this profile)', ja: 'テストメールを送信(または mailcheck send)', it: 'Send Test Email (o `mailcheck send`)' },
    ],
    sources: ['seed:001_53630fd77de206bd.txt', 'Perfex CRM application/views/admin/settings/includes/email.php (github.com/arham-anees/perfex_crm@837976e)', 'application/language/english/english_lang.php (github.com/mohammedfathi92/perfex-powerful-open-source-crm@e8c1c8b)'],
  };
}

// Perfex CRM (base of Djaboo) options, from application/views/admin/settings/includes/email.php,
// application/config/email.php and application/libraries/App_mailer.php (github.com/arham-anees/perfex_crm
// @ 837976e22b9b62e59d0507c51304fead15dd2ce4): smtp_encryption '' | 'ssl' (implicit) | 'tls' (STARTTLS);
// smtp_email is the From address of every template and the login when smtp_username is empty;
// the password is stored encrypted with the installation key (Settings_model $encrypted_fields), so
// it is never written here. The options table (install/database.sql, github.com/mohammedfathi92/
// perfex-powerful-open-source-crm @ e8c1c8bd4b0758572c6ea01c38f85ad0309c4bfd): tbloptions(id, name,
// value, autoload) with a plain, non-unique KEY on name, hence insert-when-missing then update rather
// than ON DUPLICATE KEY UPDATE. test/fixtures/perfex lists the names; test/render/perfex-sql.test.ts.
export const renderer = defineRenderer({
  id: 'perfex',
  title: 'Perfex CRM / Djaboo',
  writes:
    'JSON of its options (mail_engine, email_protocol, smtp_encryption, smtp_host, smtp_port, smtp_email, smtp_username, smtp_email_charset, bcc_emails, email_signature, email_header, email_footer) and the same as SQL for tbloptions',
  status: 'verified',
  statusNote:
    'option names read in Perfex CRM source (views/admin/settings/includes/email.php, config/email.php, libraries/App_mailer.php at github.com/arham-anees/perfex_crm 837976e; tbloptions in install/database.sql) and checked against that list (test/render/perfex-sql.test.ts); Djaboo page seed:001 lists the same fields; PHPMailer configured as Perfex does sends through the sandbox over SSL/465 and STARTTLS/587 (test/render/roundtrip/phpmailer.test.ts)',
  transports: ['smtp', 'sendmail'],
  cannot: {
    'tls.verify': 'no option (the library has smtp_conn_options, not exposed)',
    'tls.ca': 'no option',
    'tls.servername': 'no option',
    'tls.minVersion': 'no option',
    'from.name': 'the From name is the company name (companyname option), shared with the rest of the CRM',
    replyTo: 'no option',
    ehlo: 'no option',
    timeouts: 'no option',
  },
  limits: [
    'auth.method: xoauth2 other than Google or Microsoft',
    'auth.password: stored encrypted with the installation key (set it in Setup → Settings → Email)',
    'sendmail.path: Perfex runs /usr/bin/sendmail (CodeIgniter engine) or php.ini sendmail_path (PHPMailer)',
  ],
  build(ctx) {
    const { m } = ctx;
    const provider = m.auth === 'xoauth2' ? oauthProvider(m.host) : undefined;
    if (m.transport === 'sendmail') {
      const path = m.profile.sendmail?.path;
      if (path && path !== '/usr/bin/sendmail' && path !== '/usr/sbin/sendmail') {
        ctx.warn('sendmail.path', `Perfex CRM has no sendmail path option: it runs /usr/bin/sendmail (CodeIgniter engine) or php.ini's sendmail_path (PHPMailer); ${path} is not written`, 'sendmail-path', { path });
      }
    } else {
      if (m.auth === 'xoauth2' && !provider) {
        ctx.warn('auth.method', 'Perfex CRM has OAuth2 only for Google and Microsoft (email_protocol google/microsoft); this host is neither', 'oauth-provider', { host: m.host });
      }
      if (m.auth === 'password' && ctx.secretOf('password')) {
        ctx.warn('auth.password', 'Perfex CRM stores smtp_password encrypted with the installation key: it is not written; enter it in Setup → Settings → Email', 'password-not-written');
      }
      if (provider) {
        ctx.warn('auth.clientSecret', `Perfex CRM stores the ${provider} client secret encrypted and obtains the token itself: enter the secret and connect the account in Setup → Settings → Email`, 'client-secret-not-written', { provider });
      }
      // seed:001: "do not mix these modes": SSL on 587 or TLS on 465 does not work
      if ((m.encryption === 'ssl' && m.port === 587) || (m.encryption === 'starttls' && m.port === 465)) {
        ctx.warn('encryption', `Email Encryption ${m.encryption === 'ssl' ? 'SSL' : 'TLS'} on port ${m.port} does not work: SSL goes with 465, TLS with 587 (do not mix them)`, 'encryption-port-mix', { encryption: m.encryption, port: m.port });
      }
    }
    const options = perfexOptions(m);
    return [
      { name: 'perfex-options.json', content: jsonFile(options) },
      { name: 'perfex-options.sql', content: perfexSql(m, options) },
    ];
  },
});
