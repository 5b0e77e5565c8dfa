/**
 * `mailcheck init --domain`: what DNS and the presets say about where a domain submits mail.
 * Order of trust: the domain is a provider's own mail domain (gmail.com) > the domain publishes
 * submission SRV records (RFC 6186, RFC 8314 §5.1 prefers `_submissions`) > its MX is a known
 * provider's > nothing found (a guess).
 */
import { hostProblem } from '../config/host.ts';
import { DnsClient, type DnsAnswer, type DnsResult, type DnsStatus } from '../net/dns.ts';
import { outsideText } from '../safety/sanitize.ts';
import type { Encryption, Preset } from '../types.ts';
import { concreteHost, detectByDomain, detectByMx, detectProvider, endpointHostMatches } from './index.ts';

export type Confidence = 'high' | 'medium' | 'low';

export interface DiscoveryStep {
  /** what was looked at: `SRV _submissions._tcp.acme.example`, `MX acme.example`, `mail domain acme.example` */
  what: string;
  /** the DNS status, or for the mail-domain step `match` / `none` */
  status: DnsStatus | 'match' | 'none';
  /** what was found, e.g. `mail.acme.example:465`, `aspmx.l.google.com → google-workspace` */
  found?: string;
  /** why the DNS step gave nothing usable */
  message?: string;
}

export interface DiscoveredSettings {
  preset?: Preset;
  /** absent for an HTTP preset */
  endpoint?: { host: string; port: number; encryption: Encryption };
}

export interface Discovery {
  domain: string;
  resolver: string;
  steps: DiscoveryStep[];
  /** where the settings come from */
  basis: 'domain' | 'srv' | 'mx' | 'guess';
  confidence: Confidence;
  /** one line: why these settings, how sure */
  reason: string;
  settings: DiscoveredSettings;
  /** no DNS query got an answer (timeouts, refused connections): nothing can be concluded */
  dnsFailed: boolean;
}

export interface DiscoverOptions {
  /** `host[:port]`; @default the system's resolver */
  resolver?: string;
  /** per DNS attempt @default 2000 */
  timeoutMs?: number;
  /** the whole discovery; pending queries end when it passes */
  deadlineMs?: number;
  /** @default 1 */
  retries?: number;
}

const ANSWERED: ReadonlySet<DnsStatus> = new Set(['ok', 'nodata', 'nxdomain']);

type Srv = Extract<DnsAnswer, { type: 'SRV' }>;
type Mx = Extract<DnsAnswer, { type: 'MX' }>;

/** RFC 2782 order without the random part: lowest priority, then highest weight, then name. */
function bestSrv(result: DnsResult): Srv | undefined {
  const srvs = result.answers.filter((a): a is Srv => a.type === 'SRV');
  srvs.sort((a, b) => a.priority - b.priority || b.weight - a.weight || a.target.localeCompare(b.target));
  return srvs[0];
}

function within(host: string, domain: string): boolean {
  return host === domain || host.endsWith(`.${domain}`);
}

/** Labels two hosts share at the end: `mx.zoho.eu` and `smtp.zoho.eu` share 2. */
function commonSuffix(a: string, b: string): number {
  const x = a.split('.').reverse();
  const y = b.split('.').reverse();
  let n = 0;
  while (n < x.length && n < y.length && x[n] === y[n]) n++;
  return n;
}

/**
 * The endpoint of a preset that fits an MX host: the one sharing the longest domain suffix with
 * it (mx.zoho.eu → smtp.zoho.eu), a templated one with a value the MX names
 * (inbound-smtp.eu-west-1.amazonaws.com → eu-west-1), else the preferred endpoint.
 */
export function endpointForMx(preset: Preset, mxHost: string): DiscoveredSettings['endpoint'] {
  const first = preset.endpoints[0];
  if (!first) return undefined;
  let best = first;
  let bestScore = 1;
  for (const e of preset.endpoints) {
    const score = commonSuffix(e.host, mxHost);
    if (score > bestScore) {
      best = e;
      bestScore = score;
    }
  }
  let host = best.host;
  for (const [name, values] of Object.entries(preset.variables ?? {})) {
    const value = values.find((v) => mxHost.includes(`.${v}.`));
    if (value) host = host.replace(`{${name}}`, value);
  }
  return { host: concreteHost(preset, host), port: best.port, encryption: best.encryption };
}

function presetEndpoint(preset: Preset): DiscoveredSettings['endpoint'] {
  const first = preset.endpoints[0];
  return first ? { host: concreteHost(preset, first.host), port: first.port, encryption: first.encryption } : undefined;
}

function dnsStep(what: string, r: DnsResult, found?: string): DiscoveryStep {
  const step: DiscoveryStep = { what, status: r.status };
  if (found !== undefined) step.found = found;
  if (r.message && !ANSWERED.has(r.status)) step.message = r.message;
  return step;
}

/** Looks `domain` up and decides the submission settings to start from. Never throws for DNS trouble. */
export async function discover(domain: string, options: DiscoverOptions = {}): Promise<Discovery> {
  const d = domain.trim().toLowerCase().replace(/\.$/, '');
  const signal = options.deadlineMs !== undefined ? AbortSignal.timeout(options.deadlineMs) : undefined;
  const client = new DnsClient({
    ...(options.resolver !== undefined ? { server: options.resolver } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    retries: options.retries ?? 1,
    ...(signal ? { signal } : {}),
  });
  const [implicit, starttls, mx] = await Promise.all([
    client.query(`_submissions._tcp.${d}`, 'SRV'),
    client.query(`_submission._tcp.${d}`, 'SRV'),
    client.query(d, 'MX'),
  ]);
  const steps: DiscoveryStep[] = [];

  // SRV (RFC 6186 §3.1: a target of "." means the service is deliberately not offered)
  const srvFor = (r: DnsResult, encryption: Encryption): { srv: Srv; encryption: Encryption } | undefined => {
    const s = bestSrv(r);
    const what = `SRV ${r.name}`;
    if (!s) {
      steps.push(dnsStep(what, r));
      return undefined;
    }
    if (s.target === '.' || s.target === '') {
      steps.push({ what, status: 'ok', found: '. (the domain says it offers no such service)' });
      return undefined;
    }
    // DNS data is outside text: a target lint would refuse (`evil:25`, CR/LF, a 300-byte label)
    // or a port 0 never reaches the written mail.yaml
    const target = s.target.replace(/\.$/, '');
    if (hostProblem(target) !== undefined || target.startsWith('${') || s.port < 1 || s.port > 65535) {
      steps.push({ what, status: 'ok', found: `${outsideText(s.target.slice(0, 80))}:${s.port}`, message: 'skipped: not a usable host name and port' });
      return undefined;
    }
    steps.push(dnsStep(what, r, `${target}:${s.port} (${encryption})`));
    return { srv: { ...s, target }, encryption };
  };
  const srv = srvFor(implicit, 'ssl') ?? srvFor(starttls, 'starttls');
  if (srv && steps.length === 1) {
    // implicit TLS found first: still report what the STARTTLS record says
    const s = bestSrv(starttls);
    steps.push(dnsStep(`SRV ${starttls.name}`, starttls, s ? `${outsideText(s.target.slice(0, 80))}:${s.port} (starttls)` : undefined));
  }

  // MX → provider
  const mxs = mx.answers.filter((a): a is Mx => a.type === 'MX').sort((a, b) => a.priority - b.priority);
  const nullMx = mxs.length === 1 && (mxs[0]!.exchange === '.' || mxs[0]!.exchange === '');
  let mxMatch: { preset: Preset; exchange: string } | undefined;
  for (const m of mxs) {
    const hit = detectByMx(m.exchange);
    if (hit) {
      mxMatch = { preset: hit.preset, exchange: m.exchange };
      break;
    }
  }
  const mxFound = nullMx
    ? '. (null MX: the domain receives no mail, RFC 7505)'
    : mxs.length === 0
      ? undefined
      : mxMatch
        ? `${mxMatch.exchange} → ${mxMatch.preset.id}`
        : `${mxs.map((m) => m.exchange).join(', ')} (no known provider)`;
  steps.push(dnsStep(`MX ${d}`, mx, mxFound));

  // the domain itself
  const own = detectByDomain(d);
  steps.push({ what: `mail domain ${d}`, status: own ? 'match' : 'none', found: own ? `a mail domain of ${own.name} (${own.id})` : 'not a provider\'s mail domain' });

  const dnsFailed = ![implicit, starttls, mx].some((r) => ANSWERED.has(r.status));
  const base = { domain: d, resolver: client.server, steps, dnsFailed };

  if (own) {
    const settings: DiscoveredSettings = { preset: own };
    const endpoint = presetEndpoint(own);
    if (endpoint) settings.endpoint = endpoint;
    return { ...base, basis: 'domain', confidence: 'high', reason: `${d} is a mail domain of ${own.name}: its published settings apply`, settings };
  }
  if (srv) {
    const host = srv.srv.target;
    const provider = detectProvider(host);
    const settings: DiscoveredSettings = { endpoint: { host, port: srv.srv.port, encryption: srv.encryption } };
    if (provider && provider.endpoints.some((e) => endpointHostMatches(provider, e.host, host) && e.port === srv.srv.port && e.encryption === srv.encryption)) {
      settings.preset = provider;
    }
    const inside = within(host, d) || Boolean(provider);
    return {
      ...base,
      basis: 'srv',
      confidence: inside ? 'high' : 'medium',
      reason: inside
        ? `${d} publishes its submission server in DNS (RFC ${srv.encryption === 'ssl' ? '8314' : '6186'} SRV)`
        : `${d} publishes its submission server in DNS, but ${host} is outside the domain: make sure it is yours (RFC 6186 §6)`,
      settings,
    };
  }
  if (mxMatch) {
    const settings: DiscoveredSettings = { preset: mxMatch.preset };
    const endpoint = endpointForMx(mxMatch.preset, mxMatch.exchange);
    if (endpoint) settings.endpoint = endpoint;
    return {
      ...base,
      basis: 'mx',
      confidence: 'medium',
      reason: `${d} receives its mail at ${mxMatch.preset.name} (MX ${mxMatch.exchange}); sending through it is likely but not certain`,
      settings,
    };
  }
  return {
    ...base,
    basis: 'guess',
    confidence: 'low',
    reason: `nothing in DNS names a submission server for ${d}: smtp.${d}:587 is a guess to edit`,
    settings: { endpoint: { host: `smtp.${d}`, port: 587, encryption: 'starttls' } },
  };
}
