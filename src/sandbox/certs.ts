import { createHash, generateKeyPair, randomBytes, sign, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { tlv, der, OID, ECDSA_SHA256, extension, keyUsage, ipBytes } from './der.ts';

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
  const names = { dns: ['localhost', `smtp.${options.domain}`, `mta-sts.${options.domain}`, options.domain], ip: ['127.0.0.1', '::1'] };
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
