import { compact, jsonFile } from './formats.ts';
import { defineRenderer } from './model.ts';

/** Perfex's OAuth2 mail protocols, by the provider's SMTP host. */
function oauthProvider(host: string): 'google' | 'microsoft' | undefined {
  if (/(^|\.)(gmail|googlemail|google)\.com$/.test(host)) return 'google';
  if (/(^|\.)(office365|outlook)\.com$/.test(host)) return 'microsoft';
  return undefined;
}

// Perfex CRM (base of Djaboo) tbloptions, from application/views/admin/settings/includes/email.php
// and application/config/email.php: smtp_encryption '' | 'ssl' (implicit) | 'tls' (STARTTLS);
// smtp_email is the From address of every template; the password is stored encrypted with the
// installation key, so it is never written here.
export const renderer = defineRenderer({
  id: 'perfex',
  title: 'Perfex CRM / Djaboo',
  writes: 'JSON of tbloptions: mail_engine, email_protocol, smtp_encryption, smtp_host, smtp_port, smtp_email, smtp_username, smtp_email_charset, bcc_emails',
  status: 'verified',
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
  ],
  build(ctx) {
    const { m } = ctx;
    const provider = m.auth === 'xoauth2' ? oauthProvider(m.host) : undefined;
    if (m.auth === 'xoauth2' && !provider) {
      ctx.warn('auth.method', 'Perfex CRM has OAuth2 only for Google and Microsoft (email_protocol google/microsoft); this host is neither');
    }
    if (m.auth === 'password' && ctx.secretOf('password')) {
      ctx.warn('auth.password', 'Perfex CRM stores smtp_password encrypted with the installation key: it is not written; enter it in Setup → Settings → Email');
    }
    if (provider) {
      ctx.warn('auth.clientSecret', `Perfex CRM stores the ${provider} client secret encrypted and obtains the token itself: enter the secret and connect the account in Setup → Settings → Email`);
    }
    const options = compact({
      mail_engine: 'phpmailer',
      email_protocol: provider ?? 'smtp',
      smtp_encryption: m.encryption === 'ssl' ? 'ssl' : m.encryption === 'starttls' ? 'tls' : '',
      smtp_host: m.host,
      smtp_port: String(m.port),
      smtp_email: m.from?.address,
      smtp_username: m.auth === 'none' ? '' : m.username,
      smtp_email_charset: m.charset ?? 'utf-8',
      bcc_emails: m.bcc.join(','),
      google_mail_client_id: provider === 'google' ? m.profile.auth?.clientId : undefined,
      microsoft_mail_client_id: provider === 'microsoft' ? m.profile.auth?.clientId : undefined,
    });
    return [{ name: 'perfex-options.json', content: jsonFile(options) }];
  },
});
