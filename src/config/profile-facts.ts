import { isIP } from './ip.ts';
import { findPreset, detectProvider } from '../presets/index.ts';
import type { Encryption, Preset, Profile } from '../types.ts';

/** The encryption a profile uses: as written, else what its port implies (465 → ssl, 25 → none). */
export function encryptionOf(profile: Profile): Encryption {
  if (profile.encryption) return profile.encryption;
  if (profile.port === 465) return 'ssl';
  if (profile.port === 25) return 'none';
  return 'starttls';
}

/** The port a profile connects to: as written, else the standard port of its encryption (RFC 8314). */
export function portOf(profile: Profile): number {
  if (profile.port) return profile.port;
  const enc = profile.encryption;
  return enc === 'ssl' ? 465 : enc === 'none' ? 25 : 587;
}

/** The provider a profile talks to: its `preset:`, else the preset whose endpoint is its host. */
export function providerOf(profile: Profile): Preset | undefined {
  if (profile.preset) {
    const p = findPreset(profile.preset);
    if (p) return p;
  }
  // no provider's endpoint is an address literal
  return profile.host && !isIP(profile.host.replace(/^\[(.*)\]$/, '$1')) ? detectProvider(profile.host) : undefined;
}

function domainOf(address: string | undefined): string | undefined {
  if (!address) return undefined;
  const at = address.lastIndexOf('@');
  if (at < 1 || at === address.length - 1) return undefined;
  return address.slice(at + 1).toLowerCase().replace(/\.$/, '');
}

/** The envelope sender: the From address, else the username when it is an address. */
export function senderOf(profile: Profile): string | undefined {
  if (profile.from?.address) return profile.from.address;
  const u = profile.auth?.username;
  return u && domainOf(u) ? u : undefined;
}

/** The domain whose DNS (MX, SPF, DMARC, SRV) the checks read. */
export function fromDomainOf(profile: Profile): string | undefined {
  return domainOf(senderOf(profile));
}

/** Whether the profile logs in. */
export function usesAuth(profile: Profile): boolean {
  const m = profile.auth?.method;
  return m !== undefined && m !== 'none';
}
