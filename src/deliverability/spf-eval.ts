/**
 * SPF's check_host() (RFC 7208 §4) for one sending address: does the domain's SPF authorise the
 * server mail will come from? Mechanisms ip4, ip6, a, mx, include, redirect and all are
 * evaluated; exists, ptr and macros cannot be decided without a message and count as no match.
 * The 10-lookup and 2-void-lookup limits (§4.6.4) end the evaluation with permerror.
 */
import { BlockList } from 'node:net';
import { isIPv6 } from '../config/ip.ts';
import type { DnsLookup } from '../checks/types.ts';

export type SpfResult = 'pass' | 'fail' | 'softfail' | 'neutral' | 'none' | 'permerror' | 'temperror';

const QUALIFIER: Record<string, SpfResult> = { '+': 'pass', '-': 'fail', '~': 'softfail', '?': 'neutral' };
const SPF_RECORD = /^v=spf1(\s|$)/i;
const MAX_LOOKUPS = 10;
const MAX_VOIDS = 2;

interface State {
  lookups: number;
  voids: number;
  /** the mechanism that matched, for the explanation */
  matched?: string;
}

function inSubnet(ip: string, net: string, prefix: number | undefined): boolean {
  const family = isIPv6(ip) ? 'ipv6' : 'ipv4';
  if ((family === 'ipv6') !== isIPv6(net)) return false;
  const list = new BlockList();
  try {
    list.addSubnet(net, prefix ?? (family === 'ipv6' ? 128 : 32), family);
  } catch {
    return false;
  }
  return list.check(ip, family);
}

async function checkHost(domain: string, ip: string, dns: DnsLookup, st: State, depth: number): Promise<SpfResult> {
  if (depth > MAX_LOOKUPS) return 'permerror';
  const r = await dns.txt(domain);
  if (r.status !== 'ok' && r.status !== 'nodata' && r.status !== 'nxdomain') return 'temperror';
  const records = r.records.filter((t) => SPF_RECORD.test(t.trim()));
  if (records.length === 0) return 'none';
  if (records.length > 1) return 'permerror';
  const terms = records[0]!.trim().split(/\s+/).slice(1);
  let redirect: string | undefined;
  const v6 = isIPv6(ip);
  const countLookup = (): boolean => ++st.lookups > MAX_LOOKUPS;
  const countVoid = (status: string, n: number): boolean => (status === 'nxdomain' || n === 0 ? ++st.voids > MAX_VOIDS : false);
  for (const term of terms) {
    const m = /^([+\-~?]?)(all|include|a|mx|ptr|ip4|ip6|exists)(?::([^/]*))?(?:\/(\d+))?(?:\/\/(\d+))?$/i.exec(term);
    if (!m) {
      const mod = /^redirect=(.+)$/i.exec(term);
      if (mod) redirect = mod[1];
      continue;
    }
    const result = QUALIFIER[m[1] || '+']!;
    const mech = m[2]!.toLowerCase();
    const arg = m[3];
    const prefix = m[4] !== undefined ? Number(m[4]) : undefined;
    const prefix6 = m[5] !== undefined ? Number(m[5]) : undefined;
    if (arg?.includes('%')) continue; // a macro: decided per message
    switch (mech) {
      case 'all':
        st.matched = term;
        return result;
      case 'ip4':
      case 'ip6':
        if (arg && inSubnet(ip, arg, mech === 'ip6' ? prefix : prefix)) {
          st.matched = term;
          return result;
        }
        break;
      case 'a':
      case 'mx': {
        if (countLookup()) return 'permerror';
        const target = arg || domain;
        let hosts = [target];
        if (mech === 'mx') {
          const mx = await dns.mx(target);
          if (countVoid(mx.status, mx.records.length)) return 'permerror';
          hosts = mx.records.map((x) => x.exchange).slice(0, 10);
        }
        for (const h of hosts) {
          const addrs = v6 ? await dns.aaaa(h) : await dns.a(h);
          if (mech === 'a' && countVoid(addrs.status, addrs.records.length)) return 'permerror';
          if (addrs.records.some((a) => inSubnet(ip, a, v6 ? prefix6 ?? prefix : prefix))) {
            st.matched = term;
            return result;
          }
        }
        break;
      }
      case 'include': {
        if (!arg || countLookup()) return 'permerror';
        const inner = await checkHost(arg, ip, dns, st, depth + 1);
        if (inner === 'pass') {
          st.matched = term;
          return result;
        }
        if (inner === 'temperror') return 'temperror';
        if (inner === 'permerror' || inner === 'none') return 'permerror';
        break;
      }
      case 'exists':
      case 'ptr':
        if (countLookup()) return 'permerror';
        break;
    }
  }
  if (redirect && !redirect.includes('%')) {
    if (countLookup()) return 'permerror';
    const inner = await checkHost(redirect, ip, dns, st, depth + 1);
    return inner === 'none' ? 'permerror' : inner;
  }
  return 'neutral';
}

/** Evaluates `domain`'s SPF for mail from `ip`; `matched` is the deciding term. */
export async function evaluateSpf(domain: string, ip: string, dns: DnsLookup): Promise<{ result: SpfResult; matched?: string; lookups: number; voids: number }> {
  const st: State = { lookups: 0, voids: 0 };
  const result = await checkHost(domain, ip, dns, st, 0);
  return { result, ...(st.matched ? { matched: st.matched } : {}), lookups: st.lookups, voids: st.voids };
}
