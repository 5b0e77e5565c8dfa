/** The shared profiles every target's golden file is rendered from. */
import { Secret } from '../../src/config/secret.ts';
import type { Profile } from '../../src/types.ts';

/** The value `reveal` returns for every secret in the inline renders: `$`, quotes, `@`, `%`, `#`, a space. */
export const SPECIAL_PASSWORD = `p@ss$w'o"r%d #1`;

const env = (name: string) => new Secret({ kind: 'env', name });
const file = (path: string) => new Secret({ kind: 'file', path });

export const PROFILES: Record<string, Profile> = {
  ssl: {
    name: 'ssl',
    transport: 'smtp',
    host: 'smtp.example.com',
    port: 465,
    encryption: 'ssl',
    auth: { method: 'login', username: 'billing@acme.example', password: env('SMTP_PASSWORD') },
    from: { address: 'billing@acme.example', name: 'Acme Billing' },
    bcc: [],
  },
  starttls: {
    name: 'starttls',
    transport: 'smtp',
    host: 'smtp.example.com',
    port: 587,
    encryption: 'starttls',
    auth: { method: 'plain', username: 'apikey', password: env('MAIL_SECRET') },
    from: { address: 'noreply@acme.example', name: 'Acme' },
    replyTo: 'support@acme.example',
    bcc: ['archive@acme.example', 'audit@acme.example'],
    tls: { verify: true, ca: './certs/ca.pem', minVersion: 'TLSv1.2' },
    charset: 'UTF-8',
    ehlo: 'app.acme.example',
    timeouts: { connect: 10_000, greeting: 10_000, command: 30_000 },
  },
  none: {
    name: 'none',
    transport: 'smtp',
    host: 'relay.internal.example',
    port: 25,
    encryption: 'none',
    auth: { method: 'none' },
    from: { address: 'alerts@acme.example' },
    bcc: [],
  },
  xoauth2: {
    name: 'xoauth2',
    transport: 'smtp',
    host: 'smtp.gmail.com',
    port: 465,
    encryption: 'ssl',
    auth: {
      method: 'xoauth2',
      user: 'billing@acme.example',
      clientId: '1234-abcd.apps.googleusercontent.com',
      clientSecret: env('GOOGLE_CLIENT_SECRET'),
      refreshToken: env('GOOGLE_REFRESH_TOKEN'),
      tokenUrl: 'https://oauth2.googleapis.com/token',
    },
    from: { address: 'billing@acme.example', name: 'Acme Billing' },
    bcc: [],
  },
  /** XOAUTH2 with an access token from a file (targets that take a token but cannot refresh one). */
  'xoauth2-token': {
    name: 'xoauth2-token',
    transport: 'smtp',
    host: 'smtp.office365.com',
    port: 587,
    encryption: 'starttls',
    auth: {
      method: 'xoauth2',
      user: 'billing@acme.example',
      clientId: '00000000-0000-0000-0000-000000000001',
      accessToken: file('/run/secrets/smtp-access-token'),
    },
    bcc: [],
  },
  /** IDN domain, non-ASCII From name with quotes and a comma, a secret file, verify off, Latin-1. */
  special: {
    name: 'special',
    transport: 'smtp',
    host: 'smtp.bücher.example',
    port: 587,
    encryption: 'starttls',
    auth: { method: 'login', username: 'rechnung@bücher.example', password: new Secret({ kind: 'file', path: '/run/secrets/smtp password' }) },
    from: { address: 'rechnung@bücher.example', name: 'Zoë "Zed" Ünïcode, Ltd.' },
    replyTo: 'hilfe@bücher.example',
    bcc: [],
    tls: { verify: false },
    charset: 'ISO-8859-1',
  },
};

/** The renders in every golden file: profile and secrets mode. */
export const CASES: ReadonlyArray<{ profile: string; secrets: 'ref' | 'inline' }> = [
  { profile: 'ssl', secrets: 'ref' },
  { profile: 'starttls', secrets: 'ref' },
  { profile: 'none', secrets: 'ref' },
  { profile: 'xoauth2', secrets: 'ref' },
  { profile: 'xoauth2-token', secrets: 'ref' },
  { profile: 'special', secrets: 'ref' },
  { profile: 'special', secrets: 'inline' },
];
