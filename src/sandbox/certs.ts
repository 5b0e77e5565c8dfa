import { createPrivateKey, generateKeyPair, randomBytes, sign, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import forge from 'node-forge';

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

interface RsaKey {
  forge: forge.pki.rsa.KeyPair;
  node: KeyObject;
  pem: string;
}

const generateKeyPairAsync = promisify(generateKeyPair);

/**
 * forge's keygen is pure JS and slow; Node's is native (and async, so both keys are made in
 * parallel on the thread pool). Converted to forge keys through PEM.
 */
async function rsaKey(): Promise<RsaKey> {
  const { privateKey } = await generateKeyPairAsync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const priv = forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey;
  const pub = forge.pki.setRsaPublicKey(priv.n, priv.e);
  return { forge: { privateKey: priv, publicKey: pub }, node: createPrivateKey(privateKey), pem: privateKey };
}

/**
 * Keys are made once per process and reused by every sandbox started in it (the test suite
 * starts many); certificates, and so each sandbox's CA, are new at every start.
 */
let keysOnce: Promise<[RsaKey, RsaKey]> | undefined;
function sandboxKeys(): Promise<[RsaKey, RsaKey]> {
  keysOnce ??= Promise.all([rsaKey(), rsaKey()]);
  keysOnce.catch(() => {
    keysOnce = undefined;
  });
  return keysOnce;
}

function serial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f; // positive, per RFC 5280 §4.1.2.2
  return bytes.toString('hex');
}

interface CertSpec {
  subjectCN: string;
  publicKey: forge.pki.PublicKey;
  signer: { key: RsaKey; cert?: forge.pki.Certificate };
  notBefore: Date;
  notAfter: Date;
  ca?: boolean;
  dns?: string[];
  ip?: string[];
}

/**
 * forge's `cert.sign` with the RSA operation done by Node (forge's JS RSA costs ~50 ms a
 * signature): forge builds the TBSCertificate and feeds its DER to `md.update`; we keep those
 * bytes and sign them with sha256WithRSAEncryption.
 */
function signWithNode(cert: forge.pki.Certificate, key: KeyObject): void {
  let tbs = '';
  const md = forge.md.sha256.create();
  const collecting = Object.assign(Object.create(md) as forge.md.MessageDigest, {
    update(bytes: string) {
      tbs += bytes;
      return collecting;
    },
  });
  const signer = {
    sign: () => sign('sha256', Buffer.from(tbs, 'binary'), key).toString('binary'),
  } as unknown as forge.pki.rsa.PrivateKey;
  cert.sign(signer, collecting);
}

function makeCert(spec: CertSpec): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = spec.publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = spec.notBefore;
  cert.validity.notAfter = spec.notAfter;
  const subject = [
    { name: 'commonName', value: spec.subjectCN },
    { name: 'organizationName', value: 'mailcheck sandbox' },
  ];
  cert.setSubject(subject);
  cert.setIssuer(spec.signer.cert ? spec.signer.cert.subject.attributes : subject);
  const extensions: object[] = [];
  if (spec.ca) {
    extensions.push(
      { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    );
  } else {
    extensions.push(
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          ...(spec.dns ?? []).map((value) => ({ type: 2, value })),
          ...(spec.ip ?? []).map((ip) => ({ type: 7, ip })),
        ],
      },
    );
  }
  extensions.push({ name: 'subjectKeyIdentifier' });
  if (spec.signer.cert) {
    const issuerKeyId = spec.signer.cert.generateSubjectKeyIdentifier().getBytes();
    extensions.push({ name: 'authorityKeyIdentifier', keyIdentifier: issuerKeyId });
  }
  cert.setExtensions(extensions);
  signWithNode(cert, spec.signer.key.node);
  return cert;
}

/**
 * Generates the sandbox's CA and its server certificate for `domain` (SANs: `localhost`,
 * `smtp.<domain>`, `<domain>`, 127.0.0.1, ::1). Two RSA keys in all: the CA's and the server's;
 * every variant (wrong name, expired, self-signed…) reuses the server key and is signed lazily.
 */
export async function generateCerts(options: { domain: string; now?: Date }): Promise<SandboxCerts> {
  const now = options.now ?? new Date();
  const [caKeys, serverKeys] = await sandboxKeys();
  const caCert = makeCert({
    subjectCN: `mailcheck sandbox CA (${options.domain})`,
    publicKey: caKeys.forge.publicKey,
    signer: { key: caKeys },
    notBefore: new Date(now.getTime() - DAY),
    notAfter: new Date(now.getTime() + 365 * DAY),
    ca: true,
  });
  const caSigner = { key: caKeys, cert: caCert };
  const names = { dns: ['localhost', `smtp.${options.domain}`, options.domain], ip: ['127.0.0.1', '::1'] };
  const serverKeyPem = serverKeys.pem;
  const base = { publicKey: serverKeys.forge.publicKey, notBefore: new Date(now.getTime() - DAY) };
  const specs: Record<CertVariant, () => CertSpec> = {
    server: () => ({
      ...base,
      subjectCN: `smtp.${options.domain}`,
      signer: caSigner,
      notAfter: new Date(now.getTime() + 365 * DAY),
      ...names,
    }),
    'wrong-name': () => ({
      ...base,
      subjectCN: 'wrong.invalid',
      signer: caSigner,
      notAfter: new Date(now.getTime() + 365 * DAY),
      dns: ['wrong.invalid'],
    }),
    expired: () => ({
      ...base,
      subjectCN: `smtp.${options.domain}`,
      signer: caSigner,
      notBefore: new Date(now.getTime() - 90 * DAY),
      notAfter: new Date(now.getTime() - DAY),
      ...names,
    }),
    // inside the 21-day warning window of `tls.handshake`
    expiring: () => ({
      ...base,
      subjectCN: `smtp.${options.domain}`,
      signer: caSigner,
      notAfter: new Date(now.getTime() + 10 * DAY),
      ...names,
    }),
    'self-signed': () => ({
      ...base,
      subjectCN: `smtp.${options.domain}`,
      signer: { key: serverKeys },
      notAfter: new Date(now.getTime() + 365 * DAY),
      ...names,
    }),
  };
  const cache = new Map<CertVariant, KeyCert>();
  return {
    caPem: forge.pki.certificateToPem(caCert),
    names,
    get(variant) {
      let kc = cache.get(variant);
      if (!kc) {
        kc = { key: serverKeyPem, cert: forge.pki.certificateToPem(makeCert(specs[variant]())) };
        cache.set(variant, kc);
      }
      return kc;
    },
  };
}
