/**
 * Check results -> the series of one `/probe` answer, in the Prometheus text exposition format
 * (https://prometheus.io/docs/instrumenting/exposition_formats/). Blackbox exporter's names come
 * first so its dashboards and alerts work unchanged; mailcheck's own follow.
 *
 * Every label value comes from a fixed set: check ids of the registry, failure reasons that are
 * message ids of the check's own metadata, TLS versions in blackbox's spelling, DKIM selectors
 * that are valid DNS names. Anything else is dropped (or becomes `other`): no secret, address or
 * free text ever reaches a label. Results of checks that do not exist yet (`dns.dkim`,
 * `oauth.token`) are read from their `details` generically, so their series appear when they land.
 */
import { COMMON_MESSAGES } from '../checks/common.ts';
import { CHECKS } from '../checks/index.ts';
import type { CheckResult } from '../types.ts';

export interface Sample {
  labels?: Readonly<Record<string, string>>;
  value: number;
}

export interface Family {
  name: string;
  help: string;
  type: 'gauge';
  samples: Sample[];
}

export interface ProbeFacts {
  results: readonly CheckResult[];
  /** wall time of the probe */
  durationMs: number;
}

/** Skips that say nothing is wrong for every check (no From address to look at). */
const BENIGN_SKIPS: ReadonlySet<string> = new Set(['no-domain', 'no-sender']);

/** Node's protocol names -> blackbox's `probe_tls_version_info{version}` values (prober/tls.go getTLSVersion). */
const TLS_VERSIONS: Readonly<Record<string, string>> = {
  TLSv1: 'TLS 1.0',
  'TLSv1.1': 'TLS 1.1',
  'TLSv1.2': 'TLS 1.2',
  'TLSv1.3': 'TLS 1.3',
};

/** RFC 6376 §3.1: a selector is a sub-domain (dot-separated DNS labels). */
const DNS_LABEL = /^(?!-)[a-z0-9_-]{1,63}(?<!-)$/;

export function validSelector(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0 || value.length > 253) return undefined;
  const s = value.toLowerCase();
  // an IPv4 address is dot-separated labels too; never an address in a label
  if (/^\d+(\.\d+){3}$/.test(s)) return undefined;
  return s.split('.').every((l) => DNS_LABEL.test(l)) ? s : undefined;
}

/** The check ids a label may carry: the registry's (dns.dkim, oauth.token… once they land). */
function knownChecks(): ReadonlySet<string> {
  return new Set(CHECKS.map((c) => c.meta.id));
}

/** A result's reason (its message id) when the check declares it; `other` otherwise. */
export function reasonOf(r: CheckResult): string {
  const reason = r.details?.reason;
  if (typeof reason !== 'string') return 'other';
  const check = CHECKS.find((c) => c.meta.id === r.id);
  const known = Object.hasOwn(COMMON_MESSAGES, reason) || (check !== undefined && Object.hasOwn(check.meta.messages, reason));
  return known && /^[a-z0-9.-]{1,64}$/.test(reason) ? reason : 'other';
}

/** Whether a result counts against the probe: a failure, or a skip that hides a problem (missing secret, deadline). */
export function isFailure(r: CheckResult): boolean {
  if (r.status === 'fail') return true;
  if (r.status !== 'skip') return false;
  const reason = r.details?.reason;
  if (typeof reason !== 'string') return true;
  // a check declares which of its skips mean "nothing to look at" (src/checks/types.ts)
  const check = CHECKS.find((c) => c.meta.id === r.id);
  return !(BENIGN_SKIPS.has(reason) || check?.meta.benignSkips?.includes(reason));
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Finds objects in `value` (depth-bounded) — arrays and nested records of a result's details. */
function* objectsIn(value: unknown, depth = 0): Generator<Record<string, unknown>> {
  if (depth > 4) return;
  if (Array.isArray(value)) {
    for (const v of value.slice(0, 256)) yield* objectsIn(v, depth + 1);
  } else if (isRecord(value)) {
    yield value;
    for (const v of Object.values(value)) if (typeof v === 'object') yield* objectsIn(v, depth + 1);
  }
}

/** Seconds since the epoch from a date string, a `Date`, or a number in seconds or milliseconds. */
function epochSeconds(v: unknown): number | undefined {
  let ms: number | undefined;
  if (v instanceof Date) ms = v.getTime();
  else if (typeof v === 'string' && v.trim() !== '') ms = /^\d+(\.\d+)?$/.test(v.trim()) ? epochNumber(Number(v)) : Date.parse(v);
  else if (typeof v === 'number') ms = epochNumber(v);
  return ms !== undefined && Number.isFinite(ms) && ms > 0 ? ms / 1000 : undefined;
}

function epochNumber(n: number): number {
  // ≥ 1e11 cannot be seconds (year 5138); it is milliseconds
  return n >= 1e11 ? n : n * 1000;
}

/** Earliest `validTo` of the certificates in the results' details (blackbox: the earliest of the peer's chain). */
function earliestCertExpiry(results: readonly CheckResult[]): number | undefined {
  let earliest: number | undefined;
  for (const r of results) {
    const chain = r.details?.certificate;
    if (!Array.isArray(chain)) continue;
    for (const c of chain) {
      const t = isRecord(c) ? epochSeconds(c.validTo) : undefined;
      if (t !== undefined && (earliest === undefined || t < earliest)) earliest = t;
    }
  }
  return earliest;
}

function tlsVersion(results: readonly CheckResult[]): string | undefined {
  for (const r of results) {
    const p = r.details?.protocol;
    if (typeof p === 'string' && r.details?.certificate !== undefined) return TLS_VERSIONS[p] ?? 'unknown';
  }
  return undefined;
}

const BITS_KEYS = ['bits', 'keyBits', 'keySize', 'keyLength'] as const;

/** `dns.dkim`: `{ selector, bits }`-like objects anywhere in its details. */
function dkimKeyBits(results: readonly CheckResult[]): Sample[] {
  const out = new Map<string, number>();
  for (const r of results) {
    if (r.id !== 'dns.dkim') continue;
    for (const o of objectsIn(r.details)) {
      const selector = validSelector(o.selector);
      const bits = BITS_KEYS.map((k) => o[k]).find((b): b is number => typeof b === 'number' && Number.isInteger(b) && b >= 0 && b <= 65536);
      if (selector !== undefined && bits !== undefined && !out.has(selector)) out.set(selector, bits);
    }
  }
  return [...out].sort(([a], [b]) => a.localeCompare(b)).map(([selector, value]) => ({ labels: { selector }, value }));
}

const EXPIRY_KEYS = ['expiresAt', 'expiry', 'expires', 'expiresOn', 'tokenExpiry', 'expires_at', 'accessTokenExpiresAt'] as const;

/** `oauth.token`: the access token's expiry, as an absolute time or `expiresIn` seconds from the end of the check. */
function oauthExpiry(results: readonly CheckResult[], now: number): number | undefined {
  for (const r of results) {
    if (r.id !== 'oauth.token') continue;
    for (const o of objectsIn(r.details)) {
      for (const k of EXPIRY_KEYS) {
        const t = epochSeconds(o[k]);
        if (t !== undefined) return t;
      }
      const inSeconds = o.expiresIn ?? o.expires_in;
      if (typeof inSeconds === 'number' && Number.isFinite(inSeconds) && inSeconds >= 0) return Math.round(now / 1000 + inSeconds);
    }
  }
  return undefined;
}

/** The results whose check id may be a label value (the registry's checks). */
export function knownResults(results: readonly CheckResult[], known: ReadonlySet<string> = knownChecks()): CheckResult[] {
  return results.filter((r) => known.has(r.id));
}

/** The families of one probe answer, in a stable order. */
export function probeFamilies(facts: ProbeFacts, now = Date.now(), known: ReadonlySet<string> = knownChecks()): Family[] {
  const results = knownResults(facts.results, known);
  const failed = results.filter(isFailure);
  const families: Family[] = [
    { name: 'probe_success', help: 'Displays whether or not the probe was a success', type: 'gauge', samples: [{ value: results.length > 0 && failed.length === 0 ? 1 : 0 }] },
    { name: 'probe_duration_seconds', help: 'Returns how long the probe took to complete in seconds', type: 'gauge', samples: [{ value: facts.durationMs / 1000 }] },
  ];
  const dns = results.find((r) => r.id === 'dns.host' && r.status !== 'skip');
  if (dns) families.push({ name: 'probe_dns_lookup_time_seconds', help: 'Returns the time taken for probe dns lookup in seconds', type: 'gauge', samples: [{ value: dns.durationMs / 1000 }] });
  const expiry = earliestCertExpiry(results);
  if (expiry !== undefined) {
    families.push({ name: 'probe_ssl_earliest_cert_expiry', help: 'Returns earliest SSL cert expiry in unixtime', type: 'gauge', samples: [{ value: Math.round(expiry) }] });
  }
  const version = tlsVersion(results);
  if (version !== undefined) {
    families.push({ name: 'probe_tls_version_info', help: 'Returns the TLS version used or NaN when unknown', type: 'gauge', samples: [{ labels: { version }, value: 1 }] });
  }
  families.push(
    {
      name: 'mailcheck_check_success',
      help: 'Whether the check passed (1 for pass or warn, 0 for a failure or a skip that hides one); benign skips are absent',
      type: 'gauge',
      samples: results.filter((r) => r.status !== 'skip' || isFailure(r)).map((r) => ({ labels: { check: r.id }, value: isFailure(r) ? 0 : 1 })),
    },
    {
      name: 'mailcheck_check_duration_seconds',
      help: 'How long the check took in seconds',
      type: 'gauge',
      samples: results.map((r) => ({ labels: { check: r.id }, value: r.durationMs / 1000 })),
    },
    {
      name: 'mailcheck_check_warning',
      help: 'Whether the check passed with a warning (e.g. a certificate expiring within 21 days)',
      type: 'gauge',
      samples: results.filter((r) => r.status !== 'skip').map((r) => ({ labels: { check: r.id }, value: r.status === 'warn' ? 1 : 0 })),
    },
    {
      name: 'mailcheck_check_failure_info',
      help: 'The reason of each failing check, as the message id of the check (always 1)',
      type: 'gauge',
      samples: failed.map((r) => ({ labels: { check: r.id, reason: reasonOf(r) }, value: 1 })),
    },
  );
  const dkim = dkimKeyBits(results);
  if (dkim.length) families.push({ name: 'mailcheck_dkim_key_bits', help: 'Size in bits of the DKIM public key published for each selector', type: 'gauge', samples: dkim });
  const oauth = oauthExpiry(results, now);
  if (oauth !== undefined) {
    families.push({ name: 'mailcheck_oauth_token_expiry_timestamp_seconds', help: 'When the OAuth2 access token obtained by the probe expires, in unixtime', type: 'gauge', samples: [{ value: oauth }] });
  }
  return families.filter((f) => f.samples.length > 0);
}

/** Label values are escaped as the text format says: backslash, double quote and line feed. */
function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

/** Families as text exposition format 0.0.4. */
export function exposition(families: readonly Family[]): string {
  const lines: string[] = [];
  for (const f of families) {
    lines.push(`# HELP ${f.name} ${f.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`, `# TYPE ${f.name} ${f.type}`);
    for (const s of f.samples) {
      const labels = s.labels ? Object.entries(s.labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`) : [];
      lines.push(`${f.name}${labels.length ? `{${labels.join(',')}}` : ''} ${formatValue(s.value)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The content type of {@link exposition}'s output. */
export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
