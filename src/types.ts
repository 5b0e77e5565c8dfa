/**
 * Shared contracts of mailcheck: the resolved configuration, diagnostics, rules, checks,
 * renderers and reporters. Every module of the tool speaks these types.
 */
import type { Secret } from './config/secret.ts';

export type { Secret } from './config/secret.ts';

/** `ssl` = TLS from the first byte (SMTPS, usually 465); `starttls` = upgrade after EHLO (587); `none`. */
export type Encryption = 'ssl' | 'starttls' | 'none';
export type Transport = 'smtp' | 'http' | 'sendmail';
export type AuthMethod = 'login' | 'plain' | 'cram-md5' | 'xoauth2' | 'none';
export type TlsVersion = 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
export type Severity = 'error' | 'warning' | 'info';
/** A severity as users write it in `rules:` or `--rule`. */
export type SeveritySetting = 'off' | 'warn' | 'error' | 'info';

export interface Mailbox {
  address: string;
  name?: string;
}

export interface AuthConfig {
  /** @default 'login' when a username is given, otherwise 'none' */
  method: AuthMethod;
  username?: string;
  password?: Secret;
  /** xoauth2 fields */
  user?: string;
  clientId?: string;
  clientSecret?: Secret;
  refreshToken?: Secret;
  accessToken?: Secret;
  tokenUrl?: string;
}

export interface TlsConfig {
  /** @default true */
  verify?: boolean;
  /** path of a PEM CA bundle, relative to the mail.yaml */
  ca?: string;
  servername?: string;
  minVersion?: TlsVersion;
}

export interface HttpConfig {
  url: string;
  replyTo?: string;
  apiKey?: Secret;
  headers?: Record<string, string>;
}

export interface SendmailConfig {
  path: string;
  args?: string[];
  /**
   * How the app hands mail to the local MTA: `binary` runs `path` itself; `php-mail` calls PHP's
   * `mail()`, which runs php.ini's `sendmail_path` (Perfex CRM's "Mail" protocol) @default 'binary'
   */
  interface?: 'binary' | 'php-mail';
}

/** Text an app wraps around or appends to every message it sends (Perfex CRM's Email settings). */
export interface MessageConfig {
  /** signature appended where the app's templates place it (HTML or text) */
  signature?: string;
  /** HTML put before every message body */
  header?: string;
  /** HTML put after every message body */
  footer?: string;
}

export interface Limits {
  perDay?: number;
  perMessage?: number;
}

/** Durations in milliseconds, already parsed from `10s` / `500ms` / `2m`. */
export interface Timeouts {
  connect?: number;
  greeting?: number;
  command?: number;
}

/**
 * One profile after `defaults` and the preset are merged under it. Values are as written
 * (non-secret strings may still hold `${VAR}` unless the profile was interpolated).
 */
export interface Profile {
  name: string;
  preset?: string;
  transport: Transport;
  host?: string;
  port?: number;
  encryption?: Encryption;
  auth?: AuthConfig;
  from?: Mailbox;
  replyTo?: string;
  bcc: string[];
  tls?: TlsConfig;
  charset?: string;
  /** EHLO/HELO name */
  ehlo?: string;
  limits?: Limits;
  timeouts?: Timeouts;
  http?: HttpConfig;
  sendmail?: SendmailConfig;
  /** signature, header and footer for apps that wrap every message */
  message?: MessageConfig;
}

export interface TargetEntry {
  target: string;
  profile: string;
  out: string;
  secrets?: 'ref' | 'inline';
}

/** A 1-based source range. */
export interface SourceRange {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface Diagnostic extends SourceRange {
  ruleId: string;
  severity: Severity;
  message: string;
  /** JSON pointer into the file, e.g. `/profiles/production/port` */
  pointer: string;
  profile?: string;
  hint?: string;
}

export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip';

export interface CheckResult {
  id: string;
  profile: string;
  status: CheckStatus;
  message: string;
  durationMs: number;
  hint?: string;
  details?: Record<string, unknown>;
}

export interface FileResult {
  /** path as the user gave it (relative to cwd when possible) */
  path: string;
  /** the file's text, for reporters that show the source line; absent when unreadable */
  source?: string;
  diagnostics: Diagnostic[];
  checks: CheckResult[];
}

export interface Summary {
  errors: number;
  warnings: number;
  infos: number;
  checks: Record<CheckStatus, number>;
}

/** What every reporter formats. */
export interface Report {
  version: 1;
  tool: { name: 'mailcheck'; version: string };
  files: FileResult[];
  summary: Summary;
}

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

export interface PresetPolicy {
  /** e.g. `basic-auth-retirement` */
  kind: string;
  /** ISO date the policy takes effect */
  date: string;
  summary: string;
  source: string;
}

/** Where one fact of a preset came from (`presets/<id>.yaml` `sources:`). */
export interface PresetFact {
  /** `endpoints/0`, `policies/0`, `auth`, `limits`, `domains`, `mx`, `spfInclude`, `preset` … */
  fact: string;
  /** `corpus:ispdb-smtp.tsv:L59`, a provider page URL, or `unverified` */
  ref: string;
  note?: string;
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
  limits?: { perDay?: number; perMessageRecipients?: number };
  policies: PresetPolicy[];
  spfInclude?: string;
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

export interface ProviderMatch {
  preset: Preset;
  /** how the provider was recognised */
  via: 'preset' | 'host' | 'mx' | 'domain';
}

// ---------------------------------------------------------------------------------------------
// Rules

export interface RuleMeta {
  id: string;
  /** default severity; users override it from `rules:` or `--rule` */
  severity: Severity | 'off';
  /** one line: what the rule catches */
  description: string;
  /** why it matters */
  rationale: string;
  /** how to fix it */
  fix: string;
  /** a YAML snippet that triggers the rule, and its fixed form */
  example: { bad: string; good: string };
  /** message templates by message id; `{{name}}` is replaced from the finding's data */
  messages: Record<string, string>;
  /** hints by message id */
  hints?: Record<string, string>;
}

/** What a rule reports. Wording lives in the rule's meta. */
export interface Finding {
  /** an explicit source range, for problems found before there is a document to point into */
  range?: SourceRange;
  messageId: string;
  data?: Record<string, string | number>;
  /** JSON pointer of the offending value */
  pointer: string;
  profile?: string;
  /** override of the configured severity for this finding (e.g. raised for a public provider) */
  severity?: Severity;
  /** when set, point at the key of the pointer rather than its value */
  atKey?: boolean;
  /** a hint that depends on the value; otherwise the meta's hint for the message id is used */
  hint?: string;
}

/** A profile as rules see it: the merged value plus where each value was written. */
export interface ProfileView {
  profile: Profile;
  /**
   * JSON pointer of where `path` (slash-separated, e.g. `tls/verify`) was written: the profile,
   * `defaults`, or the profile's `preset:` key when the preset filled it; falls back to the profile.
   */
  pointerOf(path: string): string;
  /** whether the value at `path` was written by the user (profile or defaults) rather than a preset */
  isUserSet(path: string): boolean;
  /** the provider this profile talks to, from `preset:` or detected from its host */
  provider?: ProviderMatch;
}

/** A problem the YAML reader found (reported by the `yaml-syntax` rule). */
export interface SyntaxProblem {
  messageId: string;
  data: Record<string, string | number>;
  range: SourceRange;
  severity: 'error' | 'warning';
}

/** A schema violation as ajv reports it (reported by the `schema` rule). */
export interface SchemaViolation {
  keyword: string;
  instancePath: string;
  schemaPath: string;
  params: Record<string, unknown>;
  message?: string;
}

export interface RuleContext {
  file: string;
  syntaxProblems: SyntaxProblem[];
  schemaViolations: SchemaViolation[];
  /** the parsed document's top-level mapping (empty when the document is not a mapping) */
  data: Record<string, unknown>;
  /** the parsed document as it is (null for an empty file, a list, a scalar…) */
  raw: unknown;
  /** the schema-valid profiles, merged */
  profiles: ProfileView[];
  /** injectable clock for date-based rules */
  now: Date;
  /** look a preset up by id or alias */
  preset(id: string): Preset | undefined;
}

export interface Rule {
  meta: RuleMeta;
  check(ctx: RuleContext): Finding[];
}

// ---------------------------------------------------------------------------------------------
// Renderers

export interface RenderedFile {
  /** suggested file name (`.env`, `msmtprc`, `smtp.json`) */
  name: string;
  content: string;
}

export interface RenderWarning {
  target: string;
  /** the mail.yaml setting that could not be expressed, e.g. `tls.verify` */
  setting: string;
  message: string;
}

export interface RenderOptions {
  /** `ref` writes references/placeholders (safe to commit); `inline` writes the values */
  secrets: 'ref' | 'inline';
  /** resolves a secret's value; only called when `secrets` is `inline` */
  reveal?: (secret: Secret) => string;
}

export interface RenderOutput {
  target: string;
  profile: string;
  files: RenderedFile[];
  warnings: RenderWarning[];
}

export interface RendererMeta {
  id: string;
  title: string;
  /** what it writes, e.g. "`.env` lines MAIL_*" */
  writes: string;
  /** settings this target has no way to express */
  cannotExpress: string[];
  /** verified | derived | unverified, from shared/reference/targets.md */
  status: 'verified' | 'derived' | 'unverified';
  /** what the status rests on (for derived: exactly what was not read) */
  statusNote?: string;
}

export interface Renderer {
  meta: RendererMeta;
  render(profile: Profile, options: RenderOptions): Omit<RenderOutput, 'target' | 'profile'>;
}

// ---------------------------------------------------------------------------------------------
// Reporters

export interface ReporterOptions {
  color: boolean;
  /** metadata of every known rule (SARIF's rules table) */
  rules: RuleMeta[];
  /** only errors (`--quiet`) */
  quiet?: boolean;
  /** what each online check establishes (SARIF's rules table), when the report has checks */
  checks?: { id: string; description: string }[];
}

export type Reporter = (report: Report, options: ReporterOptions) => string;
