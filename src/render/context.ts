/** Where a renderer writes from: secrets as references or values, version ranges, warnings. */
import { isAbsolute, resolve } from 'node:path';
import { MailcheckError } from '../errors.ts';
import type { RenderOptions, RenderWarning, Secret } from '../types.ts';
import type { Model } from './profile-model.ts';

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

/** Compares dotted versions numerically (`4.10` > `4.9`); missing parts count as 0. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** A range of app versions `[from, below)` that reads the output its own way. */
export interface VersionRange {
  /** first version of the range (inclusive); absent: from the oldest */
  from?: string;
  /** first version after the range (exclusive); absent: up to the newest */
  below?: string;
  reads: string;
}

export function rangeLabel(r: VersionRange): string {
  if (r.from && r.below) return `${r.from} – < ${r.below}`;
  if (r.below) return `< ${r.below}`;
  return `≥ ${r.from ?? '0'}`;
}

const VERSION = /^[0-9]+(\.[0-9]+){0,2}$/;

export class RenderContext {
  readonly warnings: RenderWarning[] = [];
  /** the target app's version, when given */
  readonly version: string | undefined;

  constructor(
    readonly target: string,
    readonly m: Model,
    private readonly options: RenderOptions,
  ) {
    const v = options.version;
    if (v !== undefined && !VERSION.test(v)) {
      throw new MailcheckError('E_RENDER_VERSION', `target version "${v}" is not a version number`, 'write it as MAJOR[.MINOR[.PATCH]], e.g. 4.3 or 11.35.0');
    }
    this.version = v;
  }

  /**
   * Whether the target version is in `[from, below)`: true or false when a version was given,
   * undefined when not (the renderer then writes what every version reads, or warns).
   */
  versionIn(from: string | undefined, below: string | undefined): boolean | undefined {
    if (this.version === undefined) return undefined;
    if (from !== undefined && compareVersions(this.version, from) < 0) return false;
    if (below !== undefined && compareVersions(this.version, below) >= 0) return false;
    return true;
  }

  /**
   * A path as the app must read it: absolute, resolved from the mail.yaml's folder, with a warning
   * that the app must see the same path (apps resolve relative paths from their own working
   * directory, not from the mail.yaml).
   */
  path(setting: string, p: string): string {
    if (isAbsolute(p)) return p;
    const base = this.options.baseDir;
    if (base === undefined) {
      this.warn(setting, `${setting} "${p}" is relative: ${this.target} resolves it from its own working directory, not from the mail.yaml; write an absolute path the app can see`, 'path-relative', { path: p });
      return p;
    }
    const abs = resolve(base, p);
    this.warn(setting, `${setting} written as the absolute path ${abs} (resolved from the mail.yaml's folder): the app must see the file at that same path (mount or copy it there)`, 'path-absolute', { path: abs });
    return abs;
  }

  get inline(): boolean {
    return this.options.secrets === 'inline';
  }

  /**
   * A warning about `setting`. `messageId` is its stable id (`cannot-express`, `path-relative`,
   * `path-absolute`, `placeholder`, or the target's own, e.g. `version-range`); `data` the values.
   */
  warn(setting: string, message: string, messageId = 'target-note', data?: Record<string, string | number>): void {
    this.warnings.push({ target: this.target, setting, messageId, ...(data ? { data } : {}), message });
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
    if (ref.kind === 'file' && style.file) return style.file(this.path(setting, ref.path));
    const text = this.placeholder(field);
    const why =
      ref.kind === 'literal'
        ? 'it is written literally in mail.yaml'
        : ref.kind === 'file'
          ? `${this.target} cannot read a secret file from this format`
          : `${this.target} cannot reference an environment variable from this format`;
    this.warn(setting, `${setting} written as the placeholder ${text} (${why}): replace it where it is deployed, or render with --secrets inline`, 'placeholder', { placeholder: text });
    return style.literal(text);
  }
}
