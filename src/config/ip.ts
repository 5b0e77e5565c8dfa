/**
 * node:net's `isIP`, `isIPv4` and `isIPv6`, with node:net loaded only for a string that could be
 * an address. Loading node:net pulls in the stream stack: ~5 ms of every `lint` start-up, where
 * hosts are names. An IPv4 address is digits and dots, an IPv6 address has a colon; anything else
 * is no address for node:net either, so the answer is the same without it.
 */
let net: typeof import('node:net') | undefined;

export function isIP(text: string): number {
  if (!text.includes(':') && !/^[\d.]+$/.test(text)) return 0;
  net ??= process.getBuiltinModule('node:net');
  return net.isIP(text);
}

export const isIPv4 = (text: string): boolean => isIP(text) === 4;
export const isIPv6 = (text: string): boolean => isIP(text) === 6;
