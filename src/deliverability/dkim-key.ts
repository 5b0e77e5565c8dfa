/** DKIM key records (RFC 6376 §3.6.1): syntax, revocation and key strength. */
import { createPublicKey } from 'node:crypto';
import { parseTags } from './tags.ts';

export interface DkimKey {
  /** `rsa` (default) or `ed25519` (RFC 8463) */
  k: string;
  /** an empty `p=`: the key was revoked (RFC 6376 §3.6.1) */
  revoked: boolean;
  /** RSA modulus length / 256 for Ed25519; undefined when the key does not decode */
  bits?: number;
  /** `t=y`: the domain is testing DKIM */
  testing: boolean;
}

/** Parses one key record; `{ error }` names what is wrong. */
export function parseDkimKey(text: string): DkimKey | { error: string } {
  const { tags, repeated } = parseTags(text);
  if (repeated.length) return { error: `tag ${repeated[0]} appears twice` };
  if (tags.v !== undefined && tags.v !== 'DKIM1') return { error: `v=${tags.v} is not DKIM1` };
  if (tags.p === undefined) return { error: 'no p= tag (the public key)' };
  const k = (tags.k ?? 'rsa').toLowerCase();
  if (k !== 'rsa' && k !== 'ed25519') return { error: `unknown key type k=${k}` };
  const testing = (tags.t ?? '').split(':').some((f) => f.trim() === 'y');
  const p = tags.p.replace(/\s+/g, '');
  if (p === '') return { k, revoked: true, testing };
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(p)) return { error: 'p= is not base64' };
  if (k === 'ed25519') return Buffer.from(p, 'base64').length === 32 ? { k, revoked: false, bits: 256, testing } : { error: 'p= is not a 32-byte Ed25519 key' };
  try {
    const key = createPublicKey({ key: Buffer.from(p, 'base64'), format: 'der', type: 'spki' });
    const bits = key.asymmetricKeyDetails?.modulusLength;
    if (key.asymmetricKeyType !== 'rsa' || !bits) return { error: 'p= is not an RSA public key' };
    return { k, revoked: false, bits, testing };
  } catch {
    return { error: 'p= does not decode as a public key (SubjectPublicKeyInfo)' };
  }
}
