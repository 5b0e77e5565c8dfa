/**
 * What every renderer shares: the profile normalised once (effective port and encryption, ASCII
 * host and domains), secrets as references or values, and the warnings for settings a target
 * cannot express. A renderer is `defineRenderer({ …meta, cannot, build })`: the settings listed in
 * `cannot` are warned about automatically when a profile uses them, and the same list is the
 * `cannotExpress` column of `mailcheck targets` (declared once).
 */
import { MailcheckError } from '../errors.ts';
import type { RenderedFile, Renderer, RendererMeta, TargetVersionMeta, Transport, Xoauth2Support } from '../types.ts';
import { isUtf8, toModel, type Model } from './profile-model.ts';
import { RenderContext, rangeLabel, type VersionRange } from './context.ts';

export * from './profile-model.ts';
export * from './context.ts';

/** The settings a target may be unable to express; each is checked against the profile. */
export type SettingKey =
  | 'tls.verify'
  | 'tls.ca'
  | 'tls.servername'
  | 'tls.minVersion'
  | 'auth.xoauth2'
  | 'auth.method'
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
  'auth.method': {
    setting: 'auth.method',
    label: 'auth.method (login, plain, cram-md5: the client picks from what the server offers)',
    uses: (m) => m.auth === 'password' && m.profile.auth?.method !== undefined,
  },
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
  /** app versions whose reading of the output differs; `build` asks `ctx.versionIn(from, below)` */
  versions?: readonly VersionRange[];
  /**
   * XOAUTH2 login (`auth.method: xoauth2`): 'yes' or 'partial' with the source read. Absent: 'no',
   * with the reason in `cannot['auth.xoauth2']`; a profile using it then gets `xoauth2-unsupported`.
   */
  xoauth2?: { support: 'yes' | 'partial'; note: string };
  build(ctx: RenderContext): RenderedFile[];
}

/** The local relay named when an app cannot log in with XOAUTH2 (github.com/simonrob/email-oauth2-proxy). */
export const OAUTH2_RELAY = 'a local OAuth2 relay such as email-oauth2-proxy (github.com/simonrob/email-oauth2-proxy): the app logs in to it with a password, it logs in to the provider with XOAUTH2';

function xoauth2Of(spec: TargetSpec): Xoauth2Support {
  if (spec.xoauth2) return spec.xoauth2;
  return { support: 'no', note: spec.cannot['auth.xoauth2'] ?? 'its mail settings have no XOAUTH2 option' };
}

export function defineRenderer(spec: TargetSpec): Renderer {
  const transports = spec.transports ?? ['smtp'];
  // auth.xoauth2 is reported by its own warning (xoauth2-unsupported), not as cannot-express
  const cannotKeys = (Object.keys(spec.cannot) as SettingKey[]).filter((k) => k !== 'auth.xoauth2');
  const xoauth2 = xoauth2Of(spec);
  const otherTransports = (['smtp', 'http', 'sendmail'] as const).filter((t) => !transports.includes(t));
  const meta: RendererMeta = {
    id: spec.id,
    title: spec.title,
    writes: spec.writes,
    status: spec.status,
    versions: (spec.versions ?? []).map((r): TargetVersionMeta => ({ range: rangeLabel(r), reads: r.reads })),
    ...(spec.statusNote ? { statusNote: spec.statusNote } : {}),
    cannotExpress: [
      ...(otherTransports.length > 0 ? [`transport: ${otherTransports.join(', ')}`] : []),
      ...(xoauth2.support === 'no' ? [SETTINGS['auth.xoauth2'].label] : []),
      ...cannotKeys.map((k) => SETTINGS[k].label),
      ...(spec.limits ?? []),
    ],
    xoauth2,
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
        if (xoauth2.support === 'no' && m.auth === 'xoauth2') {
          ctx.warn('auth.method', `${spec.title} cannot log in with XOAUTH2 (${xoauth2.note}); the way around it: ${OAUTH2_RELAY}`, 'xoauth2-unsupported', {
            setting: 'auth.method',
            relay: 'email-oauth2-proxy',
          });
        }
        for (const key of cannotKeys) {
          const s = SETTINGS[key];
          if (s.uses(m)) ctx.warn(s.setting, `${spec.title} cannot express ${s.label}: ${spec.cannot[key]}`, 'cannot-express', { setting: s.setting });
        }
        // every path the app reads is written absolute (the app does not know where mail.yaml is)
        if (m.ca !== undefined && !cannotKeys.includes('tls.ca')) m.ca = ctx.path('tls.ca', m.ca);
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
