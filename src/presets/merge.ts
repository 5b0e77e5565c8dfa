import type { Encryption, Preset, PresetEndpoint, Profile } from '../types.ts';
import { endpointHostMatches } from './index.ts';

/** What the user wrote of the connection, used to pick the endpoint the preset fills in. */
export interface WrittenConnection {
  host?: string;
  port?: number;
  encryption?: Encryption;
}

/**
 * The endpoint a profile means: the first one consistent with every connection value the user
 * wrote (so `preset: gmail` + `port: 587` means 587/starttls, not the first endpoint's 465/ssl),
 * else the first (preferred) endpoint.
 */
export function pickEndpoint(preset: Preset, written: WrittenConnection = {}): PresetEndpoint | undefined {
  const fits = (e: PresetEndpoint): boolean =>
    (written.host === undefined || endpointHostMatches(preset, e.host, written.host)) &&
    (written.port === undefined || e.port === written.port) &&
    (written.encryption === undefined || e.encryption === written.encryption);
  return preset.endpoints.find(fits) ?? preset.endpoints[0];
}

/**
 * The values a preset contributes to a profile, merged *under* the profile's own values: the
 * endpoint's host/port/encryption, the default auth method, and for HTTP presets the transport
 * and URL. A templated host (`email-smtp.{region}.amazonaws.com`) is not filled: the region is
 * the user's choice (credentials are per region), so the profile must name the host.
 * Pass what the user wrote so the endpoint fits it; without it the preferred endpoint is used.
 */
export function presetDefaults(preset: Preset, written: WrittenConnection = {}): Partial<Profile> {
  const out: Partial<Profile> = {};
  if (preset.transport === 'http') {
    out.transport = 'http';
    if (preset.http) out.http = { url: preset.http.url };
    return out;
  }
  const endpoint = pickEndpoint(preset, written);
  if (endpoint) {
    if (!endpoint.host.includes('{')) out.host = endpoint.host;
    out.port = endpoint.port;
    out.encryption = endpoint.encryption;
  }
  const method = preset.auth.methods[0];
  if (method) out.auth = { method };
  return out;
}
