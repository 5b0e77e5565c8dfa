import { Secret } from '../../../src/config/secret.ts';
import type { Encryption, Profile } from '../../../src/types.ts';

/** A password with every character a format might trip on: quotes, $, %, #, backslash, space. */
export const HARD_PASSWORD = `p@ss$w'o"r%d #1\\x`;
export const BASE_DIR = '/srv/mail';
export const CA = `${BASE_DIR}/certs/ca.pem`;

/** What a round trip must read back. */
export interface Meant {
  host: string;
  port: number;
  encryption: Encryption;
  verify: boolean;
  ca?: string;
  user: string;
  password: string;
  fromAddress: string;
  fromName: string;
}

/** A profile with a From name that needs quoting, a relative CA and the hard password. */
export function hardProfile(encryption: Encryption, name = 'Acme, "Billing" Dept.'): { profile: Profile; meant: Meant } {
  const port = encryption === 'ssl' ? 465 : 587;
  const profile: Profile = {
    name: 'roundtrip',
    transport: 'smtp',
    host: 'smtp.acme.example',
    port,
    encryption,
    auth: { method: 'login', username: 'app+mail@acme.example', password: new Secret({ kind: 'env', name: 'SMTP_PASSWORD' }) },
    from: { address: 'billing@acme.example', name },
    bcc: [],
    tls: { verify: true, ca: './certs/ca.pem' },
  };
  return {
    profile,
    meant: { host: 'smtp.acme.example', port, encryption, verify: true, ca: CA, user: 'app+mail@acme.example', password: HARD_PASSWORD, fromAddress: 'billing@acme.example', fromName: name },
  };
}
