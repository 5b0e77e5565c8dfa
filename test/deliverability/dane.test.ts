import { createHash, X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { tlsaVerdict } from '../../src/deliverability/dane.ts';
import { generateCerts } from '../../src/sandbox/certs.ts';

let leaf: Buffer;
let ca: Buffer;
beforeAll(async () => {
  const certs = await generateCerts({ domain: 'dane.test' });
  leaf = new X509Certificate(certs.get('server').cert).raw;
  ca = new X509Certificate(certs.caPem).raw;
});

const spki = (der: Buffer) => new X509Certificate(der).publicKey.export({ type: 'spki', format: 'der' });
const hash = (alg: string, b: Buffer) => createHash(alg).update(b).digest('hex');

describe('TLSA matching (RFC 6698 §2.1, RFC 7671)', () => {
  it.each([
    ['3 0 0: the whole leaf', 3, 0, 0, () => leaf.toString('hex')],
    ['3 0 1: SHA-256 of the leaf', 3, 0, 1, () => hash('sha256', leaf)],
    ['3 0 2: SHA-512 of the leaf', 3, 0, 2, () => hash('sha512', leaf)],
    ['3 1 0: the leaf public key', 3, 1, 0, () => spki(leaf).toString('hex')],
    ['3 1 1: SHA-256 of the leaf public key', 3, 1, 1, () => hash('sha256', spki(leaf))],
    ['3 1 2: SHA-512 of the leaf public key', 3, 1, 2, () => hash('sha512', spki(leaf))],
    ['2 0 1: SHA-256 of the CA in the chain', 2, 0, 1, () => hash('sha256', ca)],
    ['2 1 1: SHA-256 of the CA public key', 2, 1, 1, () => hash('sha256', spki(ca))],
  ])('%s matches', (_name, usage, selector, matchingType, data) => {
    expect(tlsaVerdict({ usage, selector, matchingType, data: data() }, [leaf, ca])).toBe('match');
  });

  it('DANE-EE does not match the CA, DANE-TA does not match the leaf', () => {
    expect(tlsaVerdict({ usage: 3, selector: 1, matchingType: 1, data: hash('sha256', spki(ca)) }, [leaf, ca])).toBe('no-match');
    expect(tlsaVerdict({ usage: 2, selector: 1, matchingType: 1, data: hash('sha256', spki(leaf)) }, [leaf, ca])).toBe('no-match');
  });

  it('PKIX usages (0, 1) and unknown selectors or matching types are unusable for SMTP (RFC 7672 §3.1.3)', () => {
    const data = hash('sha256', spki(leaf));
    expect(tlsaVerdict({ usage: 1, selector: 1, matchingType: 1, data }, [leaf, ca])).toBe('unusable');
    expect(tlsaVerdict({ usage: 0, selector: 1, matchingType: 1, data }, [leaf, ca])).toBe('unusable');
    expect(tlsaVerdict({ usage: 3, selector: 2, matchingType: 1, data }, [leaf, ca])).toBe('unusable');
    expect(tlsaVerdict({ usage: 3, selector: 1, matchingType: 3, data }, [leaf, ca])).toBe('unusable');
  });
});
