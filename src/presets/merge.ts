import type { Preset, Profile } from '../types.ts';

/** What a preset fills under a profile's own values: its preferred endpoint and auth default. */
export function presetDefaults(preset: Preset): Partial<Profile> {
  const out: Partial<Profile> = {};
  if (preset.transport) out.transport = preset.transport;
  if (preset.http) out.http = { url: preset.http.url };
  const first = preset.endpoints.find((e) => !e.host.includes('{')) ?? preset.endpoints[0];
  if (first && preset.transport !== 'http') {
    out.host = first.host;
    out.port = first.port;
    out.encryption = first.encryption;
  }
  const method = preset.auth.methods[0];
  if (method) out.auth = { method };
  return out;
}
