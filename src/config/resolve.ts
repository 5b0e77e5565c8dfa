import { detectProvider, findPreset } from '../presets/index.ts';
import { presetDefaults } from '../presets/merge.ts';
import type { Profile, ProfileView, ProviderMatch, TargetEntry } from '../types.ts';
import { parseDuration } from './duration.ts';
import { Secret, type SecretRef } from './secret.ts';
import { joinPointer } from './pointer.ts';

type Plain = Record<string, unknown>;
type Origin = 'profile' | 'defaults' | 'preset';

/** Paths (relative to a profile) whose values are secrets. */
export const SECRET_PATHS = ['auth/password', 'auth/clientSecret', 'auth/refreshToken', 'auth/accessToken', 'http/apiKey'] as const;

const REF = /^\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}$/;

function isPlain(v: unknown): v is Plain {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reads a secret as written: `${NAME}`, `${NAME:-default}`, `{ env }`, `{ file }`, or a literal. */
export function parseSecret(value: unknown): Secret | undefined {
  if (typeof value === 'string') {
    const m = REF.exec(value.trim());
    if (m) {
      const ref: SecretRef = m[2] === undefined ? { kind: 'env', name: m[1]! } : { kind: 'env', name: m[1]!, default: m[2] };
      return new Secret(ref);
    }
    return new Secret({ kind: 'literal' }, value);
  }
  if (isPlain(value)) {
    if (typeof value.env === 'string') {
      return new Secret(typeof value.default === 'string' ? { kind: 'env', name: value.env, default: value.default } : { kind: 'env', name: value.env });
    }
    if (typeof value.file === 'string') return new Secret({ kind: 'file', path: value.file });
  }
  return undefined;
}

/** Deep merge where `over` wins; arrays are replaced, not merged. Records each leaf's origin. */
function merge(layers: [Origin, unknown][]): { value: Plain; origins: Map<string, Origin> } {
  const origins = new Map<string, Origin>();
  const into = (target: Plain, source: Plain, origin: Origin, prefix: string): void => {
    for (const key of Object.keys(source)) {
      const v = source[key];
      const path = prefix ? `${prefix}/${key}` : key;
      if (isPlain(v) && !(v instanceof Secret) && !('env' in v || 'file' in v)) {
        const existing = target[key];
        const next: Plain = isPlain(existing) ? existing : Object.create(null);
        Object.defineProperty(target, key, { value: next, enumerable: true, writable: true, configurable: true });
        origins.set(path, origin);
        into(next, v, origin, path);
      } else {
        Object.defineProperty(target, key, { value: v, enumerable: true, writable: true, configurable: true });
        origins.set(path, origin);
        for (const k of [...origins.keys()]) if (k.startsWith(`${path}/`)) origins.set(k, origin);
      }
    }
  };
  const value: Plain = Object.create(null);
  for (const [origin, layer] of layers) if (isPlain(layer)) into(value, layer, origin, '');
  return { value, origins };
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** Turns merged plain data into a typed {@link Profile}. Input is schema-valid. */
function toProfile(name: string, m: Plain): Profile {
  const auth = isPlain(m.auth) ? m.auth : undefined;
  const tls = isPlain(m.tls) ? m.tls : undefined;
  const http = isPlain(m.http) ? m.http : undefined;
  const sendmail = isPlain(m.sendmail) ? m.sendmail : undefined;
  const limits = isPlain(m.limits) ? m.limits : undefined;
  const timeouts = isPlain(m.timeouts) ? m.timeouts : undefined;
  const from = typeof m.from === 'string' ? { address: m.from } : isPlain(m.from) ? m.from : undefined;
  const bcc = typeof m.bcc === 'string' ? [m.bcc] : Array.isArray(m.bcc) ? m.bcc.filter((b): b is string => typeof b === 'string') : [];
  const profile: Profile = { name, transport: (str(m.transport) as Profile['transport'] | undefined) ?? 'smtp', bcc };
  if (str(m.preset)) profile.preset = str(m.preset)!;
  if (str(m.host)) profile.host = str(m.host)!;
  if (num(m.port) !== undefined) profile.port = num(m.port)!;
  if (str(m.encryption)) profile.encryption = m.encryption as Profile['encryption'];
  if (auth) {
    const username = str(auth.username);
    const method = (str(auth.method) as NonNullable<Profile['auth']>['method'] | undefined) ?? (username ? 'login' : 'none');
    const a: NonNullable<Profile['auth']> = { method };
    if (username) a.username = username;
    for (const k of ['user', 'clientId', 'tokenUrl', 'authorizationUrl', 'deviceAuthorizationUrl', 'tenant'] as const) if (str(auth[k])) a[k] = str(auth[k])!;
    if (Array.isArray(auth.scopes)) a.scopes = auth.scopes.filter((x): x is string => typeof x === 'string');
    for (const k of ['password', 'clientSecret', 'refreshToken', 'accessToken'] as const) {
      const s = parseSecret(auth[k]);
      if (s) a[k] = s;
    }
    profile.auth = a;
  }
  if (from && typeof from.address === 'string') {
    profile.from = typeof from.name === 'string' ? { address: from.address, name: from.name } : { address: from.address };
  }
  if (str(m.replyTo)) profile.replyTo = str(m.replyTo)!;
  if (tls) {
    const t: NonNullable<Profile['tls']> = {};
    if (typeof tls.verify === 'boolean') t.verify = tls.verify;
    if (str(tls.ca)) t.ca = str(tls.ca)!;
    if (str(tls.servername)) t.servername = str(tls.servername)!;
    if (str(tls.minVersion)) t.minVersion = tls.minVersion as NonNullable<Profile['tls']>['minVersion'];
    profile.tls = t;
  }
  if (isPlain(m.dkim) && Array.isArray(m.dkim.selectors)) {
    profile.dkim = { selectors: m.dkim.selectors.filter((x): x is string => typeof x === 'string') };
  }
  if (str(m.charset)) profile.charset = str(m.charset)!;
  if (str(m.ehlo)) profile.ehlo = str(m.ehlo)!;
  if (limits) {
    profile.limits = {};
    if (num(limits.perDay) !== undefined) profile.limits.perDay = num(limits.perDay)!;
    if (num(limits.perMessage) !== undefined) profile.limits.perMessage = num(limits.perMessage)!;
  }
  if (timeouts) {
    profile.timeouts = {};
    for (const k of ['connect', 'greeting', 'command'] as const) {
      const ms = parseDuration(timeouts[k] as string | number | undefined);
      if (ms !== undefined) profile.timeouts[k] = ms;
    }
  }
  if (http && str(http.url)) {
    profile.http = { url: str(http.url)! };
    if (str(http.replyTo)) profile.http.replyTo = str(http.replyTo)!;
    const key = parseSecret(http.apiKey);
    if (key) profile.http.apiKey = key;
    if (isPlain(http.headers)) {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(http.headers)) if (typeof v === 'string') headers[k] = v;
      profile.http.headers = headers;
    }
  }
  if (sendmail && str(sendmail.path)) {
    profile.sendmail = { path: str(sendmail.path)! };
    if (Array.isArray(sendmail.args)) profile.sendmail.args = sendmail.args.filter((a): a is string => typeof a === 'string');
    if (sendmail.interface === 'binary' || sendmail.interface === 'php-mail') profile.sendmail.interface = sendmail.interface;
  }
  const message = isPlain(m.message) ? m.message : undefined;
  if (message) {
    const msg: NonNullable<Profile['message']> = {};
    for (const k of ['signature', 'header', 'footer'] as const) if (typeof message[k] === 'string') msg[k] = message[k];
    profile.message = msg;
  }
  return profile;
}

/**
 * Merges `defaults` and the preset under each named profile and records where each value was
 * written, so rules can point at the line the user has to change.
 */
export function resolveProfiles(data: Plain, names: readonly string[]): ProfileView[] {
  const profiles = isPlain(data.profiles) ? data.profiles : {};
  const defaults = isPlain(data.defaults) ? data.defaults : undefined;
  return names.map((name) => {
    const own = isPlain(profiles[name]) ? (profiles[name] as Plain) : {};
    const presetId = str(own.preset) ?? str(defaults?.preset);
    const preset = presetId ? findPreset(presetId) : undefined;
    const { value, origins } = merge([
      // the preset fills the endpoint that matches what the user wrote (587 → its starttls endpoint)
      ['preset', preset ? presetDefaults(preset, { host: str(own.host) ?? str(defaults?.host), port: num(own.port) ?? num(defaults?.port), encryption: (str(own.encryption) ?? str(defaults?.encryption)) as Profile['encryption'] }) : undefined],
      ['defaults', defaults],
      ['profile', own],
    ]);
    const profile = toProfile(name, value);
    const base = joinPointer(['profiles', name]);
    const originOf = (path: string): Origin | undefined => {
      for (let p = path; p; p = p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '') {
        const o = origins.get(p);
        if (o) return o;
      }
      return undefined;
    };
    let provider: ProviderMatch | undefined;
    if (preset) provider = { preset, via: 'preset' };
    else if (profile.host) {
      const detected = detectProvider(profile.host);
      if (detected) provider = { preset: detected, via: 'host' };
    }
    const view: ProfileView = {
      profile,
      pointerOf(path) {
        const o = originOf(path);
        const segs = path.split('/').filter(Boolean);
        if (o === 'profile') return joinPointer(['profiles', name, ...segs]);
        if (o === 'defaults') return joinPointer(['defaults', ...segs]);
        if (o === 'preset') return own.preset !== undefined ? `${base}/preset` : '/defaults/preset';
        return base;
      },
      isUserSet(path) {
        const o = originOf(path);
        return o === 'profile' || o === 'defaults';
      },
    };
    if (provider) view.provider = provider;
    return view;
  });
}

/** The `targets:` entries (schema-valid input). */
export function resolveTargets(data: Plain): TargetEntry[] {
  if (!Array.isArray(data.targets)) return [];
  return data.targets.filter(isPlain).map((t) => {
    const entry: TargetEntry = { target: String(t.target), profile: String(t.profile), out: String(t.out) };
    if (t.secrets === 'ref' || t.secrets === 'inline') entry.secrets = t.secrets;
    if (typeof t.version === 'string' || typeof t.version === 'number') entry.version = String(t.version);
    return entry;
  });
}
