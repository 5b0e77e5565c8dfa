/**
 * What every renderer shares: the profile normalised once (effective port and encryption, ASCII
 * host and domains), secrets as references or values, and the warnings for settings a target
 * cannot express. A renderer is `defineRenderer({ …meta, cannot, build })`: the settings listed in
 * `cannot` are warned about automatically when a profile uses them, and the same list is the
 * `cannotExpress` column of `mailcheck targets` (declared once).
 */
import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';
import { MailcheckError } from '../errors.ts';
import type {
  AuthMethod,
  Encryption,
  Mailbox,
  Profile,
  RenderedFile,
  Renderer,
  RendererMeta,
  RenderOptions,
  RenderWarning,
  Secret,
  Timeouts,
  TlsVersion,
  Transport,
} from '../types.ts';

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

/** The settings a target may be unable to express; each is checked against the profile. */
export type SettingKey =
  | 'tls.verify'
  | 'tls.ca'
  | 'tls.servername'
  | 'tls.minVersion'
  | 'auth.xoauth2'
  | 'from.address'
  | 'from.name'
  | 'replyTo'
  | 'bcc'
  | 'charset'
  | 'ehlo'
  | 'timeouts';

const SETTINGS: Readonly<Record<SettingKey, { setting: string; label: string; uses(m: Model): boolean }>> = {
  'tls.verify': { setting: 'tls.verify', label: 'tls.verify: false', uses: (m) => !m.verify },
  'tls.ca': { setting: 'tls.ca', label: 'tls.ca', uses: (m) => m.encryption !== 'none' && m.ca !== undefined },
  'tls.servername': {
    setting: 'tls.servername',
    label: 'tls.servername',
    uses: (m) => m.encryption !== 'none' && m.servername !== undefined && m.servername !== m.host,
  },
  'tls.minVersion': {
    setting: 'tls.minVersion',
    label: 'tls.minVersion',
    uses: (m) => m.encryption !== 'none' && m.minVersion !== undefined,
  },
  'auth.xoauth2': { setting: 'auth.method', label: 'auth.method: xoauth2', uses: (m) => m.auth === 'xoauth2' },
  'from.address': { setting: 'from.address', label: 'from.address', uses: (m) => m.from !== undefined },
  'from.name': { setting: 'from.name', label: 'from.name', uses: (m) => Boolean(m.from?.name) },
  replyTo: { setting: 'replyTo', label: 'replyTo', uses: (m) => m.replyTo !== undefined },
  bcc: { setting: 'bcc', label: 'bcc', uses: (m) => m.bcc.length > 0 },
  charset: { setting: 'charset', label: 'charset other than UTF-8', uses: (m) => m.charset !== undefined && !isUtf8(m.charset) },
  ehlo: { setting: 'ehlo', label: 'ehlo', uses: (m) => m.ehlo !== undefined },
  timeouts: {
    setting: 'timeouts',
    label: 'timeouts',
    uses: (m) => Object.values(m.timeouts).some((v) => v !== undefined),
  },
};

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

const DEFAULT_PORT: Record<Encryption, number> = { ssl: 465, starttls: 587, none: 25 };

export function toModel(profile: Profile): Model {
  const port = profile.port ?? DEFAULT_PORT[profile.encryption ?? 'starttls'];
  const encryption: Encryption = profile.encryption ?? (port === 465 ? 'ssl' : 'starttls');
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

/** Which secret of `auth` a renderer asks for. */
export type SecretField = 'password' | 'clientSecret' | 'refreshToken' | 'accessToken';

const SECRET_NAMES: Record<SecretField, { env: string; setting: string }> = {
  password: { env: 'SMTP_PASSWORD', setting: 'auth.password' },
  clientSecret: { env: 'SMTP_OAUTH_CLIENT_SECRET', setting: 'auth.clientSecret' },
  refreshToken: { env: 'SMTP_OAUTH_REFRESH_TOKEN', setting: 'auth.refreshToken' },
  accessToken: { env: 'SMTP_OAUTH_ACCESS_TOKEN', setting: 'auth.accessToken' },
};

/** How a format writes a secret: its literal syntax, and its idioms for an env var or a file. */
export interface SecretStyle {
  /** a literal value in the format (inline values and placeholders) */
  literal(value: string): string;
  /** a reference to an environment variable, when the format or its loader can expand one */
  env?(name: string): string;
  /** a read of a mounted secret file, when the format can express one */
  file?(path: string): string;
}

export class RenderContext {
  readonly warnings: RenderWarning[] = [];

  constructor(
    readonly target: string,
    readonly m: Model,
    private readonly options: RenderOptions,
  ) {}

  get inline(): boolean {
    return this.options.secrets === 'inline';
  }

  warn(setting: string, message: string): void {
    this.warnings.push({ target: this.target, setting, message });
  }

  /** The default placeholder written for a secret that has no reference in the target's idiom. */
  placeholder(field: SecretField): string {
    return `CHANGE_ME_${SECRET_NAMES[field].env}`;
  }

  /** The env var name a secret is referenced by: its own `${NAME}`, else the conventional one. */
  envName(field: SecretField): string {
    const secret = this.secretOf(field);
    return secret?.ref.kind === 'env' ? secret.ref.name : SECRET_NAMES[field].env;
  }

  secretOf(field: SecretField): Secret | undefined {
    return this.m.profile.auth?.[field];
  }

  /** Reveals a secret (only with `--secrets inline`). */
  reveal(field: SecretField): string | undefined {
    const secret = this.secretOf(field);
    if (!secret) return undefined;
    if (!this.options.reveal) {
      throw new MailcheckError('E_RENDER_SECRETS', '--secrets inline needs a way to read secrets (options.reveal)');
    }
    return this.options.reveal(secret);
  }

  /**
   * A secret written in the target's format: the value with `--secrets inline`, else a reference
   * in the format's idiom, else a placeholder (with a warning saying so). Undefined when the
   * profile has no such secret.
   */
  secret(field: SecretField, style: SecretStyle): string | undefined {
    const secret = this.secretOf(field);
    if (!secret) return undefined;
    if (this.inline) return style.literal(this.reveal(field)!);
    const { setting } = SECRET_NAMES[field];
    const ref = secret.ref;
    if (ref.kind === 'env' && style.env) return style.env(ref.name);
    if (ref.kind === 'file' && style.file) return style.file(ref.path);
    const text = this.placeholder(field);
    const why =
      ref.kind === 'literal'
        ? 'it is written literally in mail.yaml'
        : ref.kind === 'file'
          ? `${this.target} cannot read a secret file from this format`
          : `${this.target} cannot reference an environment variable from this format`;
    this.warn(setting, `${setting} written as the placeholder ${text} (${why}): replace it where it is deployed, or render with --secrets inline`);
    return style.literal(text);
  }
}

/** What a renderer module declares. */
export interface TargetSpec {
  id: string;
  title: string;
  writes: string;
  status: RendererMeta['status'];
  /** what the status rests on (for derived: exactly what was not read) */
  statusNote?: string;
  /** transports it can express @default ['smtp'] */
  transports?: readonly Transport[];
  /** settings the target has no way to express, with the reason and the way around it */
  cannot: Partial<Record<SettingKey, string>>;
  /** limits that depend on the values (port, mode), checked in `build` and listed in `targets` */
  limits?: readonly string[];
  build(ctx: RenderContext): RenderedFile[];
}

export function defineRenderer(spec: TargetSpec): Renderer {
  const transports = spec.transports ?? ['smtp'];
  const cannotKeys = Object.keys(spec.cannot) as SettingKey[];
  const otherTransports = (['smtp', 'http', 'sendmail'] as const).filter((t) => !transports.includes(t));
  const meta: RendererMeta = {
    id: spec.id,
    title: spec.title,
    writes: spec.writes,
    status: spec.status,
    ...(spec.statusNote ? { statusNote: spec.statusNote } : {}),
    cannotExpress: [
      ...(otherTransports.length > 0 ? [`transport: ${otherTransports.join(', ')}`] : []),
      ...cannotKeys.map((k) => SETTINGS[k].label),
      ...(spec.limits ?? []),
    ],
  };
  return {
    meta,
    render(profile, options) {
      const m = toModel(profile);
      if (!transports.includes(m.transport)) {
        throw new MailcheckError(
          'E_RENDER_TRANSPORT',
          `target ${spec.id} cannot express transport ${m.transport} (profile ${profile.name}); it writes ${transports.join(' or ')} settings only`,
          'pick a target that has this transport, or a profile with transport: smtp',
        );
      }
      const ctx = new RenderContext(spec.id, m, options);
      if (m.transport === 'smtp') {
        for (const key of cannotKeys) {
          const s = SETTINGS[key];
          if (s.uses(m)) ctx.warn(s.setting, `${spec.title} cannot express ${s.label}: ${spec.cannot[key]}`);
        }
      }
      const files = spec.build(ctx);
      return { files, warnings: ctx.warnings };
    },
  };
}

/** First comment line of every rendered file (no timestamp: output is deterministic). */
export function banner(target: string, m: Model): string {
  return `Rendered by mailcheck from profile "${m.name.replace(/[\r\n]/g, ' ')}" for ${target}; re-render rather than edit.`;
}
