/**
 * src/config/ip.ts answers as node:net does for every string: it only skips asking node:net about
 * strings that cannot be an address (no colon, and not only digits and dots).
 */
import * as net from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isIP, isIPv4, isIPv6 } from '../../src/config/ip.ts';

const samples = [
  '', '127.0.0.1', '::1', '::', '::ffff:192.0.2.1', 'fe80::1%eth0', '2001:db8::', '[::1]', '1.2.3', '1.2.3.4.5', '01.2.3.4',
  '256.1.1.1', 'smtp.example.com', 'localhost', '1e3', '0x7f.0.0.1', '１２７.0.0.1', '127.0.0.1 ', ' 127.0.0.1', 'a:b', ':',
  '1::2::3', 'ffff::ffff:ffff:ffff:ffff:ffff:ffff:ffff', '192.0.2.1\n', '..', '.',
];

describe('isIP as node:net answers it', () => {
  it('on addresses, names and near-misses', () => {
    for (const s of samples) {
      expect([s, isIP(s)]).toEqual([s, net.isIP(s)]);
      expect(isIPv4(s)).toBe(net.isIPv4(s));
      expect(isIPv6(s)).toBe(net.isIPv6(s));
    }
  });

  it('on random strings over the characters addresses are made of', () => {
    const chars = fc.constantFrom(...'0123456789abcdefABCDEF:.%[] xg-'.split(''));
    fc.assert(
      fc.property(fc.string({ unit: chars, maxLength: 45 }), (s) => isIP(s) === net.isIP(s)),
      { numRuns: 3000 },
    );
  });
});
