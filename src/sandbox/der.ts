/**
 * A minimal DER writer: just the types an X.509 v3 certificate needs. Written here rather than
 * with forge.asn1 because forge works on latin1 "binary" strings (every SPKI, signature and
 * digest would be converted back and forth from Buffers) and importing node-forge costs the
 * sandbox's start-up a module graph it otherwise no longer needs: with ECDSA, keys, SPKI and
 * signatures all come from node:crypto, so this writer is the only piece left to supply.
 */
import { isIPv4, isIPv6 } from '../config/ip.ts';

export function tlv(tag: number, content: Buffer): Buffer {
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

export const der = {
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

export const OID = {
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
export const ECDSA_SHA256 = der.seq(der.oid(OID.ecdsaWithSha256));

export function extension(oid: string, value: Buffer, critical = false): Buffer {
  // DER omits a BOOLEAN that equals its DEFAULT (critical FALSE)
  return der.seq(der.oid(oid), ...(critical ? [der.bool(true)] : []), der.octets(value));
}

/**
 * keyUsage as a named BIT STRING (bit 0 = digitalSignature … 5 = keyCertSign, 6 = cRLSign):
 * DER drops trailing zero bits and says how many bits of the last byte are unused.
 */
export function keyUsage(bitsSet: number[]): Buffer {
  const highest = Math.max(...bitsSet);
  const bytes = Buffer.alloc(Math.floor(highest / 8) + 1);
  for (const b of bitsSet) bytes[b >> 3] = (bytes[b >> 3] ?? 0) | (0x80 >> (b & 7));
  return tlv(0x03, Buffer.concat([Buffer.from([7 - (highest & 7)]), bytes]));
}

export function ipBytes(ip: string): Buffer {
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
