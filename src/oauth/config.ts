/**
 * The OAuth2 settings of an `xoauth2` profile: endpoints, scopes and flows from its preset's
 * `oauth2:` block, each overridable in the profile's `auth` (SPEC §9). Endpoints must be `https:`
 * (SPEC §7): a token endpoint over cleartext would hand the refresh token to anyone on the path.
 */
import { providerOf } from '../config/profile-facts.ts';
import type { Preset, Profile } from '../types.ts';

/** @default Google's token endpoint, where most XOAUTH2 refresh tokens come from */
export const DEFAULT_TOKEN_URL = 'https://oauth2.googleapis.com/token';

export type OAuthFlow = 'device' | 'browser';

export interface OAuthSettings {
  provider?: Preset;
  authorizationUrl?: string;
  deviceAuthorizationUrl?: string;
  tokenUrl: string;
  /** where the token URL came from (`profile`, `preset`, `default`) */
  tokenUrlFrom: 'profile' | 'preset' | 'default';
  scopes: string[];
  /** the scope a token must carry to send over SMTP, when known */
  smtpScope?: string;
  /** flows allowed for the scopes, preferred first */
  flows: OAuthFlow[];
  authorizationParams: Record<string, string>;
  registration?: string;
}

const fill = (url: string | undefined, tenant: string | undefined): string | undefined =>
  url === undefined ? undefined : url.replace(/\{tenant\}/g, encodeURIComponent(tenant ?? 'common'));

/** The OAuth2 settings of a profile (interpolated or not: `${VAR}` stay as written). */
export function oauthSettingsOf(profile: Profile): OAuthSettings {
  const auth = profile.auth;
  const provider = providerOf(profile);
  const o = provider?.oauth2;
  const tenant = auth?.tenant ?? o?.tenant;
  const authorizationUrl = auth?.authorizationUrl ?? fill(o?.authorizationUrl, tenant);
  const deviceAuthorizationUrl = auth?.deviceAuthorizationUrl ?? fill(o?.deviceAuthorizationUrl, tenant);
  const presetToken = fill(o?.tokenUrl, tenant) ?? provider?.auth.tokenUrl;
  const tokenUrl = auth?.tokenUrl ?? presetToken ?? DEFAULT_TOKEN_URL;
  const tokenUrlFrom = auth?.tokenUrl ? 'profile' : presetToken ? 'preset' : 'default';
  const scopes = auth?.scopes ?? o?.scopes ?? [];
  // a profile naming its own scopes names the SMTP one too: the first that is not a refresh-token scope
  const smtpScope = auth?.scopes ? auth.scopes.find((s) => s !== 'offline_access' && s !== 'openid') : o?.smtpScope;
  const flows: OAuthFlow[] = o
    ? o.flows.filter((f) => (f === 'device' ? Boolean(deviceAuthorizationUrl) : Boolean(authorizationUrl)))
    : [...(deviceAuthorizationUrl ? (['device'] as const) : []), ...(authorizationUrl ? (['browser'] as const) : [])];
  // endpoints the user gave add their flow even where the preset does not list it
  if (auth?.deviceAuthorizationUrl && !flows.includes('device')) flows.push('device');
  if (auth?.authorizationUrl && !flows.includes('browser')) flows.push('browser');
  return {
    ...(provider ? { provider } : {}),
    ...(authorizationUrl ? { authorizationUrl } : {}),
    ...(deviceAuthorizationUrl ? { deviceAuthorizationUrl } : {}),
    tokenUrl,
    tokenUrlFrom,
    scopes,
    ...(smtpScope ? { smtpScope } : {}),
    flows,
    authorizationParams: { ...(o?.authorizationParams ?? {}) },
    ...(o?.registration ? { registration: o.registration } : {}),
  };
}

/** Whether a URL may carry OAuth2 secrets: `https:` only (SPEC §7). */
export function isHttpsUrl(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}
