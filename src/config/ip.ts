/**
 * node:net's `isIP`, `isIPv4` and `isIPv6`, asked only about a string that could be an address.
 * An IPv4 address is digits and dots, an IPv6 address has a colon; anything else is no address
 * for node:net either, so the answer is the same without it. Two costs are spared: loading
 * node:net pulls in the stream stack (~5 ms of every `lint` start-up, where hosts are names), and
 * node:net's first IPv6 test compiles its IPv6 pattern (~8 ms, then ~0.2 ms a call until V8 tiers
 * it up; Node 20), which a host name (`isIP('smtp.example.com')`) reached in every `check`.
 * The one place in src/ that asks node:net (test/architecture.test.ts holds it to that).
 */
let net: typeof import('node:net') | undefined;

export function isIP(text: string): number {
  if (!text.includes(':') && !/^[\d.]+$/.test(text)) return 0;
  net ??= process.getBuiltinModule('node:net');
  return net.isIP(text);
}

export const isIPv4 = (text: string): boolean => isIP(text) === 4;
export const isIPv6 = (text: string): boolean => isIP(text) === 6;
