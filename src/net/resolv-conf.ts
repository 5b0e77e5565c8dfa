/**
 * Where DNS questions go: a `host[:port]` server given by the user, or every `nameserver` of
 * /etc/resolv.conf with its `options` (resolv.conf(5): `timeout:n`, `attempts:n`, `rotate`).
 * Pure parsing; flag errors are the CLI's to word (src/cli/options.ts).
 */
import { readFileSync } from 'node:fs';
import { isIPv4, isIPv6 } from '../config/ip.ts';

export interface DnsServerAddress {
  host: string;
  port: number;
}

export interface SystemResolverConfig {
  /** every nameserver, in file order; 127.0.0.1:53 when there is none (resolv.conf(5)) */
  servers: DnsServerAddress[];
  /** `options timeout:n`, in ms @default 5000 */
  timeoutMs: number;
  /** `options attempts:n` @default 2 */
  attempts: number;
  /** `options rotate`: spread questions over the servers */
  rotate: boolean;
}

const DEFAULT_PORT = 53;
/** resolv.conf(5): timeout and attempts are capped at 30 and 5 */
const MAX_TIMEOUT_S = 30;
const MAX_ATTEMPTS = 5;

/**
 * Parses `1.1.1.1`, `127.0.0.1:5353`, `::1`, `[::1]:5353` or `localhost`. Returns the reason as
 * a string when the spec is not an IP address with an optional port (host names are refused:
 * resolving the resolver would need a resolver).
 */
export function parseServer(spec: string): DnsServerAddress | string {
  const s = String(spec).trim();
  let host: string;
  let portText: string | undefined;
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(s);
  if (bracketed) {
    host = bracketed[1] ?? '';
    portText = bracketed[2];
    if (!isIPv6(host)) return 'not an IPv6 address in brackets';
  } else if (s.split(':').length > 2) {
    host = s;
    if (!isIPv6(host)) return 'not an IP address';
  } else {
    const [h = '', p] = s.split(':');
    host = h === 'localhost' ? '127.0.0.1' : h;
    portText = p;
    if (!isIPv4(host)) return host === '' ? 'no address' : 'not an IP address';
  }
  let port = DEFAULT_PORT;
  if (portText !== undefined) {
    if (!/^\d{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) return 'the port must be 1-65535';
    port = Number(portText);
  }
  return { host, port };
}

/** Parses the text of a resolv.conf. */
export function parseResolvConf(text: string): SystemResolverConfig {
  const servers: DnsServerAddress[] = [];
  let timeoutMs = 5000;
  let attempts = 2;
  let rotate = false;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/[#;].*$/, '').trim();
    const [key, ...rest] = line.split(/\s+/);
    if (key === 'nameserver' && rest[0]) {
      const host = rest[0].replace(/%.*$/, ''); // an IPv6 zone id is not ours to use
      if (isIPv4(host) || isIPv6(host)) servers.push({ host, port: DEFAULT_PORT });
    } else if (key === 'options') {
      for (const opt of rest) {
        const [name, value] = opt.split(':');
        const n = Number(value);
        if (name === 'timeout' && Number.isInteger(n) && n >= 1) timeoutMs = Math.min(n, MAX_TIMEOUT_S) * 1000;
        else if (name === 'attempts' && Number.isInteger(n) && n >= 1) attempts = Math.min(n, MAX_ATTEMPTS);
        else if (name === 'rotate') rotate = true;
      }
    }
  }
  return { servers: servers.length ? servers : [{ host: '127.0.0.1', port: DEFAULT_PORT }], timeoutMs, attempts, rotate };
}

/** The system's resolver configuration; defaults when the file is missing (containers, Windows). */
export function systemResolverConfig(path = '/etc/resolv.conf'): SystemResolverConfig {
  let text = '';
  try {
    text = readFileSync(path, 'utf8').slice(0, 64 * 1024);
  } catch {
    // no resolv.conf: the defaults of resolv.conf(5)
  }
  return parseResolvConf(text);
}

/** `host:port`, IPv6 in brackets. */
export function serverLabel(server: DnsServerAddress): string {
  return server.host.includes(':') ? `[${server.host}]:${server.port}` : `${server.host}:${server.port}`;
}
