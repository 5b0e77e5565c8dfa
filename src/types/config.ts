/** The shapes of a mail.yaml once loaded: profiles and their parts, targets (schema/mail.schema.json). */
import type { Secret } from '../config/secret.ts';

/** `ssl` = TLS from the first byte (SMTPS, usually 465); `starttls` = upgrade after EHLO (587); `none`. */
export type Encryption = 'ssl' | 'starttls' | 'none';
export type Transport = 'smtp' | 'http' | 'sendmail';
export type AuthMethod = 'login' | 'plain' | 'cram-md5' | 'xoauth2' | 'none';
export type TlsVersion = 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
export type Severity = 'error' | 'warning' | 'info';
/** A severity as users write it in `rules:` or `--rule`. */
export type SeveritySetting = 'off' | 'warn' | 'error' | 'info';

export interface Mailbox {
  address: string;
  name?: string;
}

export interface AuthConfig {
  /** @default 'login' when a username is given, otherwise 'none' */
  method: AuthMethod;
  username?: string;
  password?: Secret;
  /** xoauth2 fields */
  user?: string;
  clientId?: string;
  clientSecret?: Secret;
  refreshToken?: Secret;
  accessToken?: Secret;
  /** OAuth2 token endpoint (`https:`); @default the preset's */
  tokenUrl?: string;
  /** OAuth2 authorization endpoint for `mailcheck oauth login --flow browser`; @default the preset's */
  authorizationUrl?: string;
  /** RFC 8628 device authorization endpoint for `mailcheck oauth login --flow device`; @default the preset's */
  deviceAuthorizationUrl?: string;
  /** scopes requested by `mailcheck oauth login` and required by `oauth.token`; @default the preset's */
  scopes?: string[];
  /** the provider's tenant (Microsoft: a tenant id or domain, `organizations`, `consumers`); @default the preset's */
  tenant?: string;
}

export interface TlsConfig {
  /** @default true */
  verify?: boolean;
  /** path of a PEM CA bundle, relative to the mail.yaml */
  ca?: string;
  servername?: string;
  minVersion?: TlsVersion;
}

export interface HttpConfig {
  url: string;
  replyTo?: string;
  apiKey?: Secret;
  headers?: Record<string, string>;
}

export interface SendmailConfig {
  path: string;
  args?: string[];
  /**
   * How the app hands mail to the local MTA: `binary` runs `path` itself; `php-mail` calls PHP's
   * `mail()`, which runs php.ini's `sendmail_path` (Perfex CRM's "Mail" protocol) @default 'binary'
   */
  interface?: 'binary' | 'php-mail';
}

/** Text an app wraps around or appends to every message it sends (Perfex CRM's Email settings). */
export interface MessageConfig {
  /** signature appended where the app's templates place it (HTML or text) */
  signature?: string;
  /** HTML put before every message body */
  header?: string;
  /** HTML put after every message body */
  footer?: string;
}

export interface Limits {
  perDay?: number;
  perMessage?: number;
}

/** Durations in milliseconds, already parsed from `10s` / `500ms` / `2m`. */
export interface Timeouts {
  connect?: number;
  greeting?: number;
  command?: number;
}

/**
 * One profile after `defaults` and the preset are merged under it. Values are as written
 * (non-secret strings may still hold `${VAR}` unless the profile was interpolated).
 */
export interface Profile {
  name: string;
  preset?: string;
  transport: Transport;
  host?: string;
  port?: number;
  encryption?: Encryption;
  auth?: AuthConfig;
  from?: Mailbox;
  replyTo?: string;
  bcc: string[];
  tls?: TlsConfig;
  charset?: string;
  /** EHLO/HELO name */
  ehlo?: string;
  limits?: Limits;
  timeouts?: Timeouts;
  http?: HttpConfig;
  sendmail?: SendmailConfig;
  /** signature, header and footer for apps that wrap every message */
  message?: MessageConfig;
  /** DKIM selectors this profile's mail is signed with (else the preset's) */
  dkim?: { selectors: string[] };
}

export interface TargetEntry {
  target: string;
  profile: string;
  out: string;
  secrets?: 'ref' | 'inline';
  /** the version of the target app (`render --target-version`); the output is what that version reads */
  version?: string;
}

/** A 1-based source range. */
export interface SourceRange {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}
