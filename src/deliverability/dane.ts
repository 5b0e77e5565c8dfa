/**
 * DANE for SMTP (RFC 6698, RFC 7671, RFC 7672): does a TLSA record match the certificate the
 * server presented? Usage 3 (DANE-EE) matches the leaf, usage 2 (DANE-TA) any certificate of the
 * chain; usages 0/1 (PKIX) are not used for SMTP (RFC 7672 §3.1.3) and are reported as such.
 */
import { createHash, X509Certificate } from 'node:crypto';

export interface TlsaRecord {
  usage: number;
  selector: number;
  matchingType: number;
  /** association data, hex */
  data: string;
}

export type TlsaVerdict = 'match' | 'no-match' | 'unusable';

/** What the selector picks from a certificate: the whole DER (0) or its SubjectPublicKeyInfo (1). */
function selected(der: Buffer, selector: number): Buffer | undefined {
  if (selector === 0) return der;
  if (selector === 1) return new X509Certificate(der).publicKey.export({ type: 'spki', format: 'der' });
  return undefined;
}

function matched(content: Buffer, matchingType: number): string | undefined {
  if (matchingType === 0) return content.toString('hex');
  if (matchingType === 1) return createHash('sha256').update(content).digest('hex');
  if (matchingType === 2) return createHash('sha512').update(content).digest('hex');
  return undefined;
}

/** Checks one TLSA record against the presented chain (DER, leaf first). */
export function tlsaVerdict(record: TlsaRecord, chainDer: readonly Buffer[]): TlsaVerdict {
  if (record.usage !== 2 && record.usage !== 3) return 'unusable';
  const candidates = record.usage === 3 ? chainDer.slice(0, 1) : chainDer.slice(1);
  const want = record.data.toLowerCase();
  for (const der of candidates) {
    const content = selected(der, record.selector);
    if (!content) return 'unusable';
    const got = matched(content, record.matchingType);
    if (got === undefined) return 'unusable';
    if (got === want) return 'match';
  }
  return 'no-match';
}
