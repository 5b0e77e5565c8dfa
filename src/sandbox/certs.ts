import { createHash, generateKeyPair, randomBytes, sign, type KeyObject } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import { promisify } from 'node:util';

/** A PEM key and certificate, as `tls.createServer` takes them. */
export interface KeyCert {
  key: string;
  cert: string;
}

/** The certificate variants the sandbox serves. */
export type CertVariant = 'server' | 'wrong-name' | 'expired' | 'expiring' | 'self-signed';

export interface SandboxCerts {
  /** the sandbox CA, PEM (what `tls.ca:` points at) */
  caPem: string;
  /** DNS names and IP addresses in the regular server certificate */
  names: { dns: string[]; ip: string[] };
  /** the server key and a certificate of the given variant (generated on first use, then reused) */
  get(variant: CertVariant): KeyCert;
}

const DAY = 24 * 60 * 60 * 1000;

// ---------------------------------------------------------------------------------------------
// A minimal DER writer: just the types an X.509 v3 certificate needs. Written here rather than
// with forge.asn1 because forge works on latin1 "binary" strings (every SPKI, signature and
// digest would be converted back and forth from Buffers) and importing node-forge costs the
// sandbox's start-up a module graph it otherwise no longer needs: with ECDSA, keys, SPKI and
// signatures all come from node:crypto, so this writer is the only piece left to supply.
// ---------------------------------------------------------------------------------------------

function tlv(tag: number, content: Buffer): Buffer {
  const n = content.length;
  let header: Buffer;
  if (n < 0x80) {
    header = Buffer.from([tag, n]);
  } else {
    const len: number[] = [];
    for (let v = n; v > 0; v = Math.floor(v / 256)) len.unshift(v & 0xff);
    header = Buffer.from([tag, 0x80 | len.length, ...len]);
  }
  return Buffer.concat([header, content]);
}

const der = {
  seq: (...items: Buffer[]) => tlv(0x30, Buffer.concat(items)),
  set: (...items: Buffer[]) => tlv(0x31, Buffer.concat(items)),
  bool: (v: boolean) => tlv(0x01, Buffer.from([v ? 0xff : 0x00])),
  /** a non-negative INTEGER from its big-endian magnitude, minimally encoded */
  uint(bytes: Buffer): Buffer {
    let i = 0;
    while (i < bytes.length - 1 && bytes[i] === 0) i++;
    const body = bytes.subarray(i);
    return tlv(0x02, (body[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), body]) : Buffer.from(body));
  },
  small: (n: number) => der.uint(Buffer.from([n])),
  oid(dotted: string): Buffer {
    const [a = 0, b = 0, ...rest] = dotted.split('.').map(Number);
    const out = [40 * a + b];
    for (const arc of rest) {
      const chunk = [arc & 0x7f];
      for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift(0x80 | (v & 0x7f));
      out.push(...chunk);
    }
    return tlv(0x06, Buffer.from(out));
  },
  utf8: (s: string) => tlv(0x0c, Buffer.from(s, 'utf8')),
  octets: (b: Buffer) => tlv(0x04, b),
  /** BIT STRING of whole bytes (no unused bits) */
  bits: (b: Buffer) => tlv(0x03, Buffer.concat([Buffer.from([0]), b])),
  /** RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050; seconds, Zulu */
  time(d: Date): Buffer {
    const iso = d.toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
    const digits = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
    const year = d.getUTCFullYear();
    return year >= 1950 && year < 2050 ? tlv(0x17, Buffer.from(digits.slice(2), 'ascii')) : tlv(0x18, Buffer.from(digits, 'ascii'));
  },
  /** [n] EXPLICIT, constructed */
  explicit: (n: number, inner: Buffer) => tlv(0xa0 | n, inner),
};

const OID = {
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  commonName: '2.5.4.3',
  organizationName: '2.5.4.10',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
} as const;

/** AlgorithmIdentifier for ecdsa-with-SHA256: parameters absent (RFC 5758 §3.2) */
const ECDSA_SHA256 = der.seq(der.oid(OID.ecdsaWithSha256));

function extension(oid: string, value: Buffer, critical = false): Buffer {
  // DER omits a BOOLEAN that equals its DEFAULT (critical FALSE)
  return der.seq(der.oid(oid), ...(critical ? [der.bool(true)] : []), der.octets(value));
}

/**
 * keyUsage as a named BIT STRING (bit 0 = digitalSignature … 5 = keyCertSign, 6 = cRLSign):
 * DER drops trailing zero bits and says how many bits of the last byte are unused.
 */
function keyUsage(bitsSet: number[]): Buffer {
  const highest = Math.max(...bitsSet);
  const bytes = Buffer.alloc(Math.floor(highest / 8) + 1);
  for (const b of bitsSet) bytes[b >> 3] = (bytes[b >> 3] ?? 0) | (0x80 >> (b & 7));
  return tlv(0x03, Buffer.concat([Buffer.from([7 - (highest & 7)]), bytes]));
}

function ipBytes(ip: string): Buffer {
  if (isIPv4(ip)) return Buffer.from(ip.split('.').map(Number));
  if (!isIPv6(ip) || ip.includes('%')) throw new Error(`not an IP address for a certificate: ${ip}`);
  // an embedded IPv4 tail (::ffff:192.0.2.1) is the last two groups
  const text = ip.replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_m, a: string, b: string, c: string, d: string) =>
    [Number(a) * 256 + Number(b), Number(c) * 256 + Number(d)].map((g) => g.toString(16)).join(':'),
  );
  const groups = (s: string | undefined) => (s ? s.split(':').map((g) => Number.parseInt(g, 16)) : []);
  const [head, tail] = text.split('::');
  const h = groups(head);
  const t = groups(tail);
  const all = tail === undefined ? h : [...h, ...new Array<number>(8 - h.length - t.length).fill(0), ...t];
  const out = Buffer.alloc(16);
  all.forEach((g, i) => out.writeUInt16BE(g, i * 2));
  return out;
}

// ---------------------------------------------------------------------------------------------

interface EcKey {
  privateKey: KeyObject;
  /** SubjectPublicKeyInfo, DER */
  spki: Buffer;
  /** RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey bits (the uncompressed EC point) */
  keyId: Buffer;
  /** the private key, PKCS#8 PEM, for `tls.createServer` */
  pem: string;
}

const generateKeyPairAsync = promisify(generateKeyPair);

async function ecKey(): Promise<EcKey> {
  const { privateKey, publicKey } = await generateKeyPairAsync('ec', { namedCurve: 'P-256' });
  const jwk = publicKey.export({ format: 'jwk' });
  const point = Buffer.concat([Buffer.from([0x04]), Buffer.from(jwk.x ?? '', 'base64url'), Buffer.from(jwk.y ?? '', 'base64url')]);
  return {
    privateKey,
    spki: publicKey.export({ type: 'spki', format: 'der' }),
    keyId: createHash('sha1').update(point).digest(),
    pem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

/**
 * Keys are made once per process and reused by every sandbox started in it (the test suite
 * starts many); certificates, and so each sandbox's CA, are new at every start.
 */
let keysOnce: Promise<[EcKey, EcKey]> | undefined;
function sandboxKeys(): Promise<[EcKey, EcKey]> {
  keysOnce ??= Promise.all([ecKey(), ecKey()]);
  keysOnce.catch(() => {
    keysOnce = undefined;
  });
  return keysOnce;
}

function serial(): Buffer {
  const bytes = randomBytes(16);
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x01; // positive and non-zero, per RFC 5280 §4.1.2.2
  return bytes;
}

function name(cn: string): Buffer {
  const rdn = (oid: string, value: string) => der.set(der.seq(der.oid(oid), der.utf8(value)));
  return der.seq(rdn(OID.commonName, cn), rdn(OID.organizationName, 'mailcheck sandbox'));
}

/** An issued certificate, kept as what its children need: its subject and key identifier. */
interface Issuer {
  key: EcKey;
  subject: Buffer;
}

interface CertSpec {
  subjectCN: string;
  key: EcKey;
  /** absent: self-signed by `key` */
  issuer?: Issuer;
  notBefore: Date;
  notAfter: Date;
  ca?: boolean;
  dns?: string[];
  ip?: string[];
}

function makeCert(spec: CertSpec): { der: Buffer; subject: Buffer } {
  const subject = name(spec.subjectCN);
  const signerKey = spec.issuer?.key ?? spec.key;
  const extensions: Buffer[] = [];
  if (spec.ca) {
    extensions.push(
      extension(OID.basicConstraints, der.seq(der.bool(true), der.small(0)), true),
      extension(OID.keyUsage, keyUsage([5, 6]), true), // keyCertSign, cRLSign
    );
  } else {
    extensions.push(
      extension(OID.basicConstraints, der.seq()), // cA FALSE (the DEFAULT, so empty)
      // digitalSignature only: an EC key cannot do keyEncipherment (RFC 5480 §3)
      extension(OID.keyUsage, keyUsage([0]), true),
      extension(OID.extKeyUsage, der.seq(der.oid(OID.serverAuth))),
      extension(
        OID.subjectAltName,
        der.seq(
          ...(spec.dns ?? []).map((d) => tlv(0x82, Buffer.from(d, 'ascii'))), // [2] dNSName IA5String
          ...(spec.ip ?? []).map((ip) => tlv(0x87, ipBytes(ip))), // [7] iPAddress
        ),
      ),
    );
  }
  extensions.push(extension(OID.subjectKeyIdentifier, der.octets(spec.key.keyId)));
  if (spec.issuer) {
    // [0] keyIdentifier, IMPLICIT OCTET STRING
    extensions.push(extension(OID.authorityKeyIdentifier, der.seq(tlv(0x80, spec.issuer.key.keyId))));
  }
  const tbs = der.seq(
    der.explicit(0, der.small(2)), // v3
    der.uint(serial()),
    ECDSA_SHA256,
    spec.issuer?.subject ?? subject,
    der.seq(der.time(spec.notBefore), der.time(spec.notAfter)),
    subject,
    spec.key.spki,
    der.explicit(3, der.seq(...extensions)),
  );
  // Node's ECDSA signature is DER (SEQUENCE { r, s }), which is what X.509 carries
  const signature = sign('sha256', tbs, signerKey.privateKey);
  return { der: der.seq(tbs, ECDSA_SHA256, der.bits(signature)), subject };
}

function toPem(certDer: Buffer): string {
  const b64 = certDer.toString('base64').replace(/.{64}/g, '$&\n');
  return `-----BEGIN CERTIFICATE-----\n${b64}${b64.endsWith('\n') ? '' : '\n'}-----END CERTIFICATE-----\n`;
}

/**
 * Generates the sandbox's CA and its server certificate for `domain` (SANs: `localhost`,
 * `smtp.<domain>`, `<domain>`, 127.0.0.1, ::1), ECDSA P-256 with SHA-256 throughout: the
 * server's handshake signature is ~10× cheaper than RSA-2048's (a client's two verifications
 * are ~3× dearer, but those run in the client, as on a real server). Two keys in all: the CA's
 * and the server's; every variant (wrong name, expired, self-signed…) reuses the server key and
 * is signed lazily.
 */
export async function generateCerts(options: { domain: string; now?: Date }): Promise<SandboxCerts> {
  const now = options.now ?? new Date();
  const [caKey, serverKey] = await sandboxKeys();
  const ca = makeCert({
    subjectCN: `mailcheck sandbox CA (${options.domain})`,
    key: caKey,
    notBefore: new Date(now.getTime() - DAY),
    notAfter: new Date(now.getTime() + 365 * DAY),
    ca: true,
  });
  const issuer: Issuer = { key: caKey, subject: ca.subject };
  const names = { dns: ['localhost', `smtp.${options.domain}`, options.domain], ip: ['127.0.0.1', '::1'] };
  const base = { key: serverKey, notBefore: new Date(now.getTime() - DAY) };
  const specs: Record<CertVariant, () => CertSpec> = {
    server: () => ({
      ...base,
      subjectCN: `smtp.${options.domain}`,
      issuer,
      notAfter: new Date(now.getTime() + 365 * DAY),
      ...names,
    }),
    'wrong-name': () => ({
      ...base,
      subjectCN: 'wrong.invalid',
      issuer,
      notAfter: new Date(now.getTime() + 365 * DAY),
      dns: ['wrong.invalid'],
    }),
    expired: () => ({
      ...base,
      subjectCN: `smtp.${options.domain}`,
      issuer,
      notBefore: new Date(now.getTime() - 90 * DAY),
      notAfter: new Date(now.getTime() - DAY),
      ...names,
    }),
    // inside the 21-day warning window of `tls.handshake`
    expiring: () => ({
      ...base,
      subjectCN: `smtp.${options.domain}`,
      issuer,
      notAfter: new Date(now.getTime() + 10 * DAY),
      ...names,
    }),
    'self-signed': () => ({
      ...base,
      subjectCN: `smtp.${options.domain}`,
      notAfter: new Date(now.getTime() + 365 * DAY),
      ...names,
    }),
  };
  const cache = new Map<CertVariant, KeyCert>();
  return {
    caPem: toPem(ca.der),
    names,
    get(variant) {
      let kc = cache.get(variant);
      if (!kc) {
        kc = { key: serverKey.pem, cert: toPem(makeCert(specs[variant]()).der) };
        cache.set(variant, kc);
      }
      return kc;
    },
  };
}
