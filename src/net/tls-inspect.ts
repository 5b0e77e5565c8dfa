import type { X509Certificate } from 'node:crypto';
import { isIP } from '../config/ip.ts';
import * as tls from 'node:tls';
import type { TlsVersion } from '../types.ts';

/** What a certificate of the presented chain says, as plain data for reports. */
export interface CertificateSummary {
  subject: string;
  issuer: string;
  /** DNS and IP subject alternative names */
  altNames: string[];
  validFrom: string;
  validTo: string;
  serialNumber: string;
  fingerprint256: string;
}

/** The result of a TLS handshake, evaluated by mailcheck itself (the socket never rejects). */
export interface TlsInspection {
  protocol: string | null;
  cipher: string;
  /** the name the certificate must match (`tls.servername` or the host) */
  servername: string;
  /** the chain verifies against the trusted CAs (system roots plus `tls.ca`) */
  chainTrusted: boolean;
  /** OpenSSL's verdict when the chain does not verify: CERT_HAS_EXPIRED, DEPTH_ZERO_SELF_SIGNED_CERT… */
  chainError?: string;
  nameMatches: boolean;
  nameError?: string;
  /** whole days until the leaf certificate expires (negative when expired) */
  daysToExpiry: number;
  expired: boolean;
  notYetValid: boolean;
  /** leaf first */
  chain: CertificateSummary[];
  /** whether a custom CA bundle (`tls.ca`) took part */
  customCa: boolean;
}

/** TLS client settings of a profile, resolved (the CA file already read). */
export interface TlsClientSettings {
  /** SNI and the name checked; defaults to the host */
  servername?: string;
  /** PEM text of extra trusted CAs (`tls.ca`) */
  caPem?: string;
  minVersion?: TlsVersion;
}

const DAY = 86_400_000;

/**
 * Secure contexts by (CA bundle, minimum version). Building one with a custom CA parses the
 * whole root store again (tens of ms of CPU); profiles and runs that share a CA share it.
 */
const contexts = new Map<string, tls.SecureContext>();
const MAX_CONTEXTS = 32;

function secureContextFor(settings: TlsClientSettings): tls.SecureContext {
  const key = `${settings.minVersion ?? ''}\u0000${settings.caPem ?? ''}`;
  let ctx = contexts.get(key);
  if (!ctx) {
    if (contexts.size >= MAX_CONTEXTS) contexts.clear();
    ctx = tls.createSecureContext(settings.minVersion ? { minVersion: settings.minVersion } : {});
    // the system roots stay (no `ca` option, which would replace them) and the extra CA joins
    // them natively: passing ~140 root PEMs through the `ca` option cost ~25 ms of CPU per run
    if (settings.caPem) (ctx as tls.SecureContext & { context: { addCACert(pem: string): void } }).context.addCACert(settings.caPem);
    contexts.set(key, ctx);
  }
  return ctx;
}

/**
 * Options for `tls.connect` that always complete the handshake (rejectUnauthorized false, no
 * name check) so the certificate is captured even when it would be refused; trust is evaluated
 * afterwards by {@link inspectTls} with the same CA set.
 */
export function tlsConnectOptions(host: string, settings: TlsClientSettings): tls.ConnectionOptions {
  const name = settings.servername ?? host;
  return {
    rejectUnauthorized: false,
    checkServerIdentity: () => undefined,
    // SNI must not be an IP address (RFC 6066 §3)
    ...(isIP(name) ? {} : { servername: name }),
    secureContext: secureContextFor(settings),
  };
}

/**
 * Spares Node's end of the handshake the conversion of the whole peer chain to plain objects
 * (`getPeerCertificate(true)`, ~0.3 ms a session), which it makes only to hand to
 * `checkServerIdentity`, and ours ignores it (the name is checked on the lazy X509Certificate by
 * {@link inspectTls}). Node's `onConnectSecure` (lib/_tls_wrap.js in Node 20) calls
 * `this.getPeerCertificate(true)` before 'secureConnect' when the chain verified and the session
 * is new; the returned function puts the socket's own method back, to call on 'secureConnect'.
 * A test counts calls to the prototype method: a Node that reaches it another way is noticed.
 */
export function skipPeerCertificateObjects(socket: tls.TLSSocket): () => void {
  Object.defineProperty(socket, 'getPeerCertificate', { value: () => ({}), configurable: true, writable: true });
  return () => {
    delete (socket as Partial<Pick<tls.TLSSocket, 'getPeerCertificate'>>).getPeerCertificate;
  };
}

function summarize(cert: X509Certificate): CertificateSummary {
  const altNames = (cert.subjectAltName ?? '')
    .split(/,\s*/)
    .filter(Boolean)
    .map((n) => n.replace(/^(DNS|IP Address):/, ''));
  return {
    subject: cert.subject.split('\n').join(', '),
    issuer: cert.issuer.split('\n').join(', '),
    altNames,
    validFrom: new Date(cert.validFrom).toISOString(),
    validTo: new Date(cert.validTo).toISOString(),
    serialNumber: cert.serialNumber,
    fingerprint256: cert.fingerprint256,
  };
}

/**
 * Whether the certificate names `servername` (RFC 6125: DNS SANs with a left-most wildcard, IP
 * SANs for an address, the CN only when there is no DNS SAN), through OpenSSL's own matcher.
 */
function nameCheck(cert: X509Certificate, servername: string): string | undefined {
  const name = servername.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
  const ok = isIP(name) ? cert.checkIP(name) : cert.checkHost(name);
  if (ok !== undefined) return undefined;
  const names = cert.subjectAltName ?? cert.subject.split('\n').join(', ');
  return `${name} is not in the certificate's names (${names})`;
}

/** Inspects a connected TLS socket that was opened with {@link tlsConnectOptions}. */
export function inspectTls(socket: tls.TLSSocket, host: string, settings: TlsClientSettings, now = new Date()): TlsInspection {
  const servername = settings.servername ?? host;
  // the presented certificates' DER (for DANE), taken from the same lazy X509 objects
  const der: Buffer[] = [];
  // X509Certificate is lazy: cheaper than getPeerCertificate(true), which converts the whole chain
  const leaf = socket.getPeerX509Certificate();
  const chain: CertificateSummary[] = [];
  const seen = new Set<string>();
  let cur: X509Certificate | undefined = leaf;
  while (cur && !seen.has(cur.fingerprint256) && chain.length < 10) {
    seen.add(cur.fingerprint256);
    chain.push(summarize(cur));
    der.push(cur.raw);
    cur = cur.issuerCertificate;
  }
  const cipher = socket.getCipher();
  const nameError = leaf ? nameCheck(leaf, servername) : 'the server presented no certificate';
  const validTo = leaf ? new Date(leaf.validTo).getTime() : Number.NaN;
  const validFrom = leaf ? new Date(leaf.validFrom).getTime() : Number.NaN;
  const daysToExpiry = Number.isNaN(validTo) ? 0 : Math.floor((validTo - now.getTime()) / DAY);
  const authError = socket.authorizationError as unknown;
  const chainError = socket.authorized
    ? undefined
    : authError instanceof Error
      ? ((authError as NodeJS.ErrnoException).code ?? authError.message)
      : authError
        ? String(authError)
        : 'UNABLE_TO_VERIFY';
  const inspection: TlsInspection = {
    protocol: socket.getProtocol(),
    cipher: cipher?.standardName ?? cipher?.name ?? '',
    servername,
    chainTrusted: socket.authorized,
    ...(chainError ? { chainError } : {}),
    nameMatches: nameError === undefined,
    ...(nameError ? { nameError } : {}),
    daysToExpiry,
    expired: !Number.isNaN(validTo) && validTo < now.getTime(),
    notYetValid: !Number.isNaN(validFrom) && validFrom > now.getTime(),
    chain,
    customCa: Boolean(settings.caPem),
  };
  // the presented certificates (DER, leaf first) for DANE (tls.dane); not enumerable, so reports
  // that print the inspection do not carry kilobytes of base64
  Object.defineProperty(inspection, 'der', { value: der, enumerable: false });
  return inspection;
}

/** The DER chain {@link inspectTls} recorded, leaf first (empty when unknown). */
export function presentedCertificates(inspection: TlsInspection): Buffer[] {
  return (inspection as TlsInspection & { der?: Buffer[] }).der ?? [];
}

/** A short, stable explanation of an OpenSSL verification code. */
export function explainChainError(code: string): string {
  switch (code) {
    case 'CERT_HAS_EXPIRED':
      return 'the certificate has expired';
    case 'CERT_NOT_YET_VALID':
      return 'the certificate is not valid yet';
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
      return 'the certificate is self-signed';
    case 'SELF_SIGNED_CERT_IN_CHAIN':
      return 'the chain ends in a self-signed CA that is not trusted';
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      return 'the issuer of the certificate is not trusted (incomplete chain or private CA)';
    default:
      return code;
  }
}
