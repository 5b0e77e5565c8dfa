import type { AuthMethod, Encryption, Transport } from './config.ts';

// ---------------------------------------------------------------------------------------------
// Presets (provider knowledge). The full preset file format is schema/preset.schema.json.

export interface PresetEndpoint {
  /** may hold a template such as `email-smtp.{region}.amazonaws.com` */
  host: string;
  port: number;
  encryption: Encryption;
  /** free text: `region`, `legacy`, … */
  note?: string;
}

/** A provider's OAuth2 endpoints and scopes for SMTP (`presets/<id>.yaml` `oauth2:`). */
export interface PresetOAuth2 {
  /** may hold `{tenant}` */
  authorizationUrl: string;
  /** RFC 8628 device authorization endpoint; may hold `{tenant}` */
  deviceAuthorizationUrl?: string;
  /** may hold `{tenant}` */
  tokenUrl: string;
  /** the tenant put into `{tenant}` when the profile sets no `auth.tenant` */
  tenant?: string;
  /** scopes to request for SMTP sending (refresh-token scopes such as `offline_access` included) */
  scopes: string[];
  /** the scope a token must carry to send over SMTP (checked by `oauth.token`) */
  smtpScope: string;
  /** flows the provider allows for these scopes, preferred first */
  flows: ('device' | 'browser')[];
  /** what the XOAUTH2 `user=` must be: `address` (the mailbox's address) */
  username: string;
  /** extra authorization request parameters (Google: `access_type=offline`) */
  authorizationParams?: Record<string, string>;
  /** where to register the OAuth2 client */
  registration?: string;
}

/** What a provider policy event does: announced, default-off (admins can turn it back on), removed. */
export type PolicyPhase = 'announced' | 'default-off' | 'removed';

/** One dated event of a provider policy (`presets/<id>.yaml` `policies:`). */
export interface PresetPolicy {
  /** what the policy is about: `basic-auth` (password login over SMTP AUTH), `less-secure-apps` … */
  topic: string;
  kind: PolicyPhase;
  /** ISO date (UTC) the event takes effect; absent when the provider has not set it yet (see `expected`) */
  date?: string;
  /** when no date is set: what the provider said about when, e.g. `to be announced in the second half of 2027` */
  expected?: string;
  summary: string;
  /** the provider's own page (URL) */
  source: string;
  /** the day the source was read (ISO date) */
  read?: string;
}

/** Where one fact of a preset came from (`presets/<id>.yaml` `sources:`). */
export interface PresetFact {
  /** `endpoints/0`, `policies/0`, `auth`, `oauth2`, `limits`, `domains`, `mx`, `spfInclude`, `preset` … */
  fact: string;
  /** `corpus:ispdb-smtp.tsv:L59`, a provider page URL, or `unverified` */
  ref: string;
  note?: string;
  /** the day a URL source was read (ISO date) */
  read?: string;
}

/** An endpoint that differs from what a corpus source lists for its host, and what it follows instead. */
export interface PresetDisagreement {
  /** index into `endpoints` */
  endpoint: number;
  source: 'ispdb-smtp.tsv' | 'nodemailer-services.tsv';
  /** the corpus lines the endpoint does not match */
  theirs?: string[];
  /** the source followed instead (same forms as {@link PresetFact.ref}) */
  follows: string;
  reason: string;
}

export interface Preset {
  id: string;
  name: string;
  aliases: string[];
  /** mail domains whose addresses this provider hosts (gmail.com) */
  domains: string[];
  /** glob-like patterns of MX hosts (`*.google.com`, `aspmx.l.google.com`) */
  mx: string[];
  endpoints: PresetEndpoint[];
  /** true for a public/shared provider (not a relay you run yourself) */
  public: boolean;
  auth: {
    methods: AuthMethod[];
    /** what the username must be: `address` | `apikey` | literal string … */
    username?: string;
    appPassword?: boolean;
    apiKey?: boolean;
    oauth2?: boolean;
    /** OAuth2 token endpoint (refreshes access tokens) */
    tokenUrl?: string;
    /** free text, e.g. "turn on SMTP in the web settings first" */
    note?: string;
  };
  /** how to obtain and check OAuth2 tokens for SMTP at this provider */
  oauth2?: PresetOAuth2;
  limits?: { perDay?: number; perMessageRecipients?: number };
  policies: PresetPolicy[];
  spfInclude?: string;
  /**
   * How mail sent through the provider is authenticated for the customer's From domain (the
   * deliverability checks, SPEC §8): its DKIM selectors (or the CNAME they point into), whether
   * it signs with the customer's domain once set up, and the envelope (Return-Path) domain.
   */
  sending?: PresetSending;
  /** the provider rewrites or rejects a From domain other than the login's */
  enforcesSenderDomain?: boolean;
  docs: string[];
  /** every distinct reference in {@link provenance} (`unverified` included), in file order */
  sources: string[];
  transport?: Transport;
  http?: { url: string };
  /** allowed values of each `{name}` placeholder in endpoint hosts (`region: [us-east-1, …]`) */
  variables?: Record<string, string[]>;
  /** where each fact came from */
  provenance: PresetFact[];
  /** endpoints that differ from a corpus source, with the source followed instead */
  disagreements: PresetDisagreement[];
}

export interface PresetSending {
  dkim?: {
    /** selectors the provider publishes or asks the customer to publish (`google`, `selector1`…) */
    selectors?: string[];
    /** where the selectors' CNAMEs point, `{domain}`/`{tenant}` templated (informational) */
    cnameTarget?: string;
    /** the provider signs with `d=` the customer's domain once the key is published */
    signsWithCustomerDomain: boolean;
  };
  /**
   * The envelope (Return-Path) domain of mail sent through the provider: `from` (the From
   * address's own domain, so SPF can align) or the provider's own domain (SPF then never aligns
   * unless a custom return path is set up).
   */
  envelope?: 'from' | { domain: string };
}

export interface ProviderMatch {
  preset: Preset;
  /** how the provider was recognised */
  via: 'preset' | 'host' | 'mx' | 'domain';
}
