/** The profiles of the seed apps' golden renders: the cases their help pages describe. */
import { Secret } from '../../src/config/secret.ts';
import type { Profile } from '../../src/types.ts';

const env = (name: string) => new Secret({ kind: 'env', name });

export const SEED_PROFILES: Record<string, Profile> = {
  /** "SSL – port 465" (seed:001), "465(SSL)" (seed:004) */
  'ssl-465': {
    name: 'ssl-465',
    transport: 'smtp',
    host: 'smtp.example.com',
    port: 465,
    encryption: 'ssl',
    auth: { method: 'login', username: 'billing@acme.example', password: env('SMTP_PASSWORD') },
    from: { address: 'billing@acme.example', name: 'Acme Billing' },
    bcc: [],
  },
  /** "TLS – port 587", a login that is not an address (Exchange), copy, reply-to, signature/header/footer */
  'starttls-587': {
    name: 'starttls-587',
    transport: 'smtp',
    host: 'mail.acme.example',
    port: 587,
    encryption: 'starttls',
    auth: { method: 'login', username: 'ACME\\billing', password: env('SMTP_PASSWORD') },
    from: { address: 'billing@acme.example', name: 'Acme' },
    replyTo: 'support@acme.example',
    bcc: ['archive@acme.example', 'audit@acme.example'],
    message: {
      signature: "Kind regards,\nAcme's billing team",
      header: '<html><body><div style="font-family:sans-serif">',
      footer: '</div><p>{companyname} \\ O\'Brien & Co</p></body></html>',
    },
  },
  /** "port 25, no encryption" (seed:001, seed:004) */
  'none-25': {
    name: 'none-25',
    transport: 'smtp',
    host: 'relay.internal.example',
    port: 25,
    encryption: 'none',
    auth: { method: 'none' },
    from: { address: 'alerts@acme.example' },
    bcc: [],
  },
  /** Gmail with an app password (seed:000, seed:002, seed:003) */
  gmail: {
    name: 'gmail',
    preset: 'gmail',
    transport: 'smtp',
    host: 'smtp.gmail.com',
    port: 465,
    encryption: 'ssl',
    auth: { method: 'login', username: 'acme.billing@gmail.com', password: env('GMAIL_APP_PASSWORD') },
    from: { address: 'acme.billing@gmail.com', name: 'Acme Billing' },
    bcc: [],
  },
  /** Microsoft 365 with authenticated SMTP turned on for the mailbox (seed:002) */
  m365: {
    name: 'm365',
    preset: 'office365',
    transport: 'smtp',
    host: 'smtp.office365.com',
    port: 587,
    encryption: 'starttls',
    auth: { method: 'login', username: 'billing@acme.example', password: env('M365_PASSWORD') },
    from: { address: 'billing@acme.example', name: 'Acme Billing' },
    bcc: [],
  },
  /** Manager.io's free HTTP mail service (seed:000, seed:003) */
  http: {
    name: 'http',
    transport: 'http',
    http: { url: 'https://email.manager.io', replyTo: 'billing@acme.example' },
    bcc: [],
  },
  /** Perfex's "Mail" protocol: PHP mail() through php.ini's sendmail_path */
  'php-mail': {
    name: 'php-mail',
    transport: 'sendmail',
    sendmail: { path: '/usr/sbin/sendmail', interface: 'php-mail' },
    from: { address: 'crm@acme.example' },
    bcc: [],
  },
};
