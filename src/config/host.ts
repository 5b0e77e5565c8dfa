import { isIPv6 } from './ip.ts';
import { domainToASCII } from 'node:url';

/** Why a `host:` value is not a host: `port` (a port written into it), or `invalid`. */
export type HostProblem = 'port' | 'invalid';

const REFERENCE = /^\$\{[A-Za-z_][A-Za-z0-9_]*(:-[^}]*)?\}$/;
const ASCII_NAME = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*\.?$/;

/**
 * Checks a `host:` value: a host name (IDN U-labels allowed, checked through their punycode
 * form, RFC 5890), an IPv4 address, an IPv6 address bare (`::1`, `fe80::1%eth0`) or in brackets
 * (`[::1]`), or a `${VAR}` reference. `127.0.0.1:587` and `[::1]:587` carry a port: refused.
 */
export function hostProblem(host: string): HostProblem | undefined {
  if (REFERENCE.test(host)) return undefined;
  if (host.length === 0 || host.length > 253) return 'invalid';
  const bracket = /^\[([^\]]*)\](.*)$/.exec(host);
  if (bracket) {
    if (bracket[2] !== '') return /^:\d*$/.test(bracket[2]!) ? 'port' : 'invalid';
    return isIPv6(bracket[1]!.replace(/%[A-Za-z0-9._-]+$/, '')) ? undefined : 'invalid';
  }
  if (host.includes(':')) {
    if (isIPv6(host.replace(/%[A-Za-z0-9._-]+$/, ''))) return undefined;
    return /^[^:]+:\d*$/.test(host) ? 'port' : 'invalid';
  }
  // eslint-disable-next-line no-control-regex
  const ascii = /^[\x00-\x7f]*$/.test(host) ? host : domainToASCII(host);
  if (ascii === '' || ascii.length > 253 || !ASCII_NAME.test(ascii)) return 'invalid';
  return ascii.split('.').some((label) => label.length > 63) ? 'invalid' : undefined;
}
