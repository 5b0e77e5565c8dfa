/** The normalised view of a profile every renderer reads, and the small value helpers they share. */
import { isIP } from '../config/ip.ts';
import { domainToASCII } from 'node:url';
import { } from '../errors.ts';
import { encryptionOf, portOf } from '../config/profile-facts.ts';
import type { AuthMethod, Encryption, Mailbox, Profile, Timeouts, TlsVersion, Transport } from '../types.ts';

/** The normalised view of a profile that renderers read. */
export interface Model {
  profile: Profile;
  /** profile name, for comments and account names */
  name: string;
  transport: Transport;
  /** ASCII (A-label) host, '' when the profile has none */
  host: string;
  /** explicit, or the encryption's usual port */
  port: number;
  encryption: Encryption;
  /** false only when `tls.verify: false` on an encrypted profile */
  verify: boolean;
  ca?: string;
  servername?: string;
  minVersion?: TlsVersion;
  /** what kind of login the profile makes */
  auth: 'none' | 'password' | 'xoauth2';
  method: AuthMethod;
  /** the login name (for xoauth2 `auth.user`, falling back to `auth.username`) */
  username?: string;
  /** From with an ASCII domain */
  from?: Mailbox;
  replyTo?: string;
  bcc: string[];
  charset?: string;
  ehlo?: string;
  timeouts: Timeouts;
}

export function isUtf8(charset: string): boolean {
  return /^utf-?8$/i.test(charset);
}

/** Host name in ASCII (punycode) form; IP literals and unconvertible names are kept as written. */
export function asciiHost(host: string): string {
  if (host === '' || isIP(host) !== 0) return host;
  return domainToASCII(host) || host;
}

/** An address with its domain in ASCII form, so targets without SMTPUTF8/IDN support accept it. */
export function asciiAddress(address: string): string {
  const at = address.lastIndexOf('@');
  if (at < 0) return address;
  const domain = address.slice(at + 1);
  if (domain.startsWith('[')) return address;
  return `${address.slice(0, at)}@${domainToASCII(domain) || domain}`;
}

/** `"Name" <address>` (the name always quoted), or the bare address. */
export function mailbox(box: Mailbox): string {
  if (!box.name) return box.address;
  return `"${box.name.replace(/[\\"]/g, (c) => `\\${c}`)}" <${box.address}>`;
}

/** Whole seconds, rounded up (targets that take seconds). */
export function seconds(ms: number): number {
  return Math.ceil(ms / 1000);
}

/** One timeout for targets with a single knob: the command timeout, else the connect timeout. */
export function singleTimeout(t: Timeouts): number | undefined {
  return t.command ?? t.connect ?? t.greeting;
}

export function toModel(profile: Profile): Model {
  // the same defaults the checks and send use (one module owns them): 465 → ssl, 25 → none
  const port = portOf(profile);
  const encryption: Encryption = encryptionOf(profile);
  const a = profile.auth;
  const method: AuthMethod = a?.method ?? (a?.username ? 'login' : 'none');
  const auth = method === 'none' ? 'none' : method === 'xoauth2' ? 'xoauth2' : 'password';
  const tls = encryption === 'none' ? undefined : profile.tls;
  const m: Model = {
    profile,
    name: profile.name,
    transport: profile.transport ?? 'smtp',
    host: asciiHost(profile.host ?? ''),
    port,
    encryption,
    verify: tls?.verify !== false,
    method,
    auth,
    bcc: (profile.bcc ?? []).map(asciiAddress),
    timeouts: { ...profile.timeouts },
  };
  if (tls?.ca !== undefined) m.ca = tls.ca;
  if (tls?.servername !== undefined) m.servername = asciiHost(tls.servername);
  if (tls?.minVersion !== undefined) m.minVersion = tls.minVersion;
  const username = auth === 'xoauth2' ? (a?.user ?? a?.username) : a?.username;
  if (auth !== 'none' && username !== undefined) m.username = username;
  if (profile.from) {
    m.from = { address: asciiAddress(profile.from.address) };
    if (profile.from.name) m.from.name = profile.from.name;
  }
  if (profile.replyTo !== undefined) m.replyTo = asciiAddress(profile.replyTo);
  if (profile.charset !== undefined) m.charset = profile.charset;
  if (profile.ehlo !== undefined) m.ehlo = profile.ehlo;
  return m;
}
