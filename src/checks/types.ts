import type { SessionStep, SmtpTranscript } from '../net/smtp-session.ts';
import type { TlsInspection } from '../net/tls-inspect.ts';
import type { CheckStatus, Preset, Profile } from '../types.ts';

/** What an online check is, as data: the registry, `--only`, the task list and the docs read it. */
export interface CheckMeta {
  /** the contract id (SPEC §4), e.g. `tls.handshake` */
  id: string;
  /** a short label for the task list */
  title: string;
  /** one line for the docs: what a pass establishes */
  description: string;
  /** what each status means (the docs' table); a status the check never gives is left out */
  outcomes: Partial<Record<CheckStatus, string>>;
  /**
   * What the check evaluates: `session` (the profile's one SMTP session, opened first so DNS
   * questions overlap the server's greeting), `dns` (record lookups of the From domain), `http`
   * (the profile's one HTTPS request). The runner plans from this; no list is kept beside it.
   */
  needs: readonly ('session' | 'dns' | 'http')[];
  /** names `--only` accepts for this check besides its id (`dns`, `mx`, `tls`, `auth`…) */
  groups: readonly string[];
  /** message templates by message id; `{{name}}` is replaced from the outcome's data */
  messages: Record<string, string>;
  /**
   * Message ids of `skip` outcomes that mean "nothing to look at for this profile" (no selectors,
   * an address without a name, no records): not a hidden problem. The exporter and summaries
   * count every other skip (missing secret, deadline, prerequisite) against the profile.
   */
  benignSkips?: readonly string[];
  /** hints by hint id, same templating */
  hints?: Record<string, string>;
}

/** What a check returns; the runner turns it into a {@link import('../types.ts').CheckResult}. */
export interface CheckOutcome {
  status: CheckStatus;
  messageId: string;
  data?: Record<string, string | number>;
  hintId?: string;
  details?: Record<string, unknown>;
  /** the time of the step this check evaluates (wall time of `run` when absent) */
  durationMs?: number;
}

export type DnsStatus = 'ok' | 'nodata' | 'nxdomain' | 'servfail' | 'refused' | 'timeout' | 'malformed' | 'error';

/** The answer to one DNS question, normalised whatever resolver asked. */
export interface DnsAnswer<T> {
  status: DnsStatus;
  records: T[];
  durationMs: number;
  /** the resolver validated the answer with DNSSEC (its AD bit) */
  authenticated?: boolean;
  message?: string;
}

export interface MxRecord {
  preference: number;
  exchange: string;
}

export interface SrvRecord {
  priority: number;
  weight: number;
  port: number;
  target: string;
}

/** RFC 6698 TLSA: certificate usage, selector, matching type, association data (hex). */
export interface TlsaRecord {
  usage: number;
  selector: number;
  matchingType: number;
  data: string;
}

/** DNS as the checks see it (cached per run: profiles sharing a domain ask once). */
export interface DnsLookup {
  a(name: string): Promise<DnsAnswer<string>>;
  aaaa(name: string): Promise<DnsAnswer<string>>;
  mx(name: string): Promise<DnsAnswer<MxRecord>>;
  /** each TXT record with its strings joined (RFC 7208 §3.3) */
  txt(name: string): Promise<DnsAnswer<string>>;
  srv(name: string): Promise<DnsAnswer<SrvRecord>>;
  tlsa(name: string): Promise<DnsAnswer<TlsaRecord>>;
  /** reverse names of an address's `in-addr.arpa` / `ip6.arpa` name */
  ptr(name: string): Promise<DnsAnswer<string>>;
  cname(name: string): Promise<DnsAnswer<string>>;
}

/** How the SMTP host resolved: the addresses the session connects to. */
export interface HostResolution {
  status: DnsStatus;
  addresses: string[];
  /** `literal` (the host is an IP), `system` (getaddrinfo, as the app would) or `resolver` (--resolver) */
  via: 'literal' | 'system' | 'resolver';
  durationMs: number;
  message?: string;
}

/** What an HTTP mail endpoint answered. */
export interface HttpProbe {
  url: string;
  ok: boolean;
  status?: number;
  durationMs: number;
  tls?: TlsInspection;
  failure?: { kind: 'timeout' | 'refused' | 'tls' | 'http' | 'dns' | 'socket' | 'aborted' | 'url'; message: string; code?: string };
}

/** The run's one OAuth2 refresh of a profile (shared by `oauth.token` and `smtp.auth`). */
export type OAuthProbe =
  | {
      ok: true;
      token: import('../oauth/tokens.ts').TokenResponse;
      tokenUrl: string;
      /** the provider returned a refresh token other than the one configured */
      rotated: boolean;
      /** true when the rotated token was saved, the failure message when saving failed */
      saved: boolean | string;
      durationMs: number;
    }
  | { ok: false; error: import('../oauth/tokens.ts').OAuthError; tokenUrl: string; durationMs: number };

/** Lazily runs (once per profile) what the checks evaluate. */
export interface ProfileProbe {
  dns: DnsLookup;
  host(): Promise<HostResolution>;
  /**
   * The one SMTP session of this profile, started on first use. With `until`, resolves as soon
   * as that step is recorded (or the session ended before it), so a check never waits for
   * steps it does not evaluate.
   */
  smtp(until?: SessionStep): Promise<SmtpTranscript>;
  http(): Promise<HttpProbe>;
  /** the profile's one OAuth2 refresh (xoauth2 profiles with a refresh token) */
  oauth(): Promise<OAuthProbe>;
  /** a problem reading `tls.ca`, if any (the session then ran without it) */
  caError(): string | undefined;
}

export interface CheckContext {
  /** interpolated profile */
  profile: Profile;
  /** the provider: the profile's preset, or detected from its host */
  provider?: Preset;
  /** the domain of the From address (or of the username when it is an address) */
  fromDomain?: string;
  probe: ProfileProbe;
  rcpt?: string;
  /** the secret the AUTH needs is missing: the message names the variable or file */
  secretProblem?: string;
  now: Date;
  /** a bounded HTTPS GET with verified TLS, through the run's resolver (MTA-STS policies) */
  https(url: URL, maxBytes: number): Promise<import('../net/https-get.ts').HttpsGetResult>;
}

export interface Check {
  meta: CheckMeta;
  /** whether the check means anything for this profile (a check that does not apply is not listed) */
  appliesTo(profile: Profile, plan: { rcpt?: string }): boolean;
  /** checks that must pass (or warn) first; a failed or skipped one makes this one `skip` */
  requires(profile: Profile): readonly string[];
  run(ctx: CheckContext): Promise<CheckOutcome>;
  /**
   * When the outcome depends only on what this returns (a domain, say), profiles of one run
   * that share it share one evaluation.
   */
  shareKey?(ctx: CheckContext): string | undefined;
}
