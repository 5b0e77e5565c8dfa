/**
 * Shared contracts of mailcheck: the resolved configuration, diagnostics, rules, checks,
 * renderers and reporters. Every module of the tool speaks these types.
 */
import type { Secret } from './config/secret.ts';

export type { Secret } from './config/secret.ts';

export type * from './types/config.ts';
export type * from './types/preset.ts';
export type * from './types/rule.ts';
import type { Profile, Severity, SourceRange } from './types/config.ts';
import type { RuleMeta } from './types/rule.ts';


export interface Diagnostic extends SourceRange {
  ruleId: string;
  severity: Severity;
  /** the rule's message id (stable; tests and tools match on it, not on the wording) */
  messageId: string;
  /** the values the message was filled with */
  data?: Record<string, string | number>;
  message: string;
  /** JSON pointer into the file, e.g. `/profiles/production/port` */
  pointer: string;
  profile?: string;
  hint?: string;
  /**
   * The rule's repair (`lint --fix`): replace the source text between the two offsets (UTF-16,
   * into the decoded file) by `text`. Only rules whose meta says `fixable` give one.
   */
  fix?: { range: [number, number]; text: string };
}

export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip';

export interface CheckResult {
  id: string;
  profile: string;
  status: CheckStatus;
  /** the check's message id (stable; tests and tools match on it, not on the wording) */
  messageId: string;
  /** the values the message was filled with */
  data?: Record<string, string | number>;
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
  /** what `lint --fix` changed in the file (or would change, with --fix-dry-run) */
  fixes?: AppliedFix[];
}

/** One repair `lint --fix` made: where, by which rule, and the scalar before and after. */
export interface AppliedFix {
  ruleId: string;
  messageId: string;
  line: number;
  column: number;
  profile?: string;
  before: string;
  after: string;
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
// Renderers

export interface RenderedFile {
  /** suggested file name (`.env`, `msmtprc`, `smtp.json`) */
  name: string;
  content: string;
}

export interface RenderWarning {
  target: string;
  /** stable id: `cannot-express`, `path-relative`, `path-absolute`, `placeholder`, or the target's own */
  messageId: string;
  /** the values the message was made from */
  data?: Record<string, string | number>;
  /** the mail.yaml setting that could not be expressed, e.g. `tls.verify` */
  setting: string;
  message: string;
}

export interface RenderOptions {
  /** `ref` writes references/placeholders (safe to commit); `inline` writes the values */
  secrets: 'ref' | 'inline';
  /** resolves a secret's value; only called when `secrets` is `inline` */
  reveal?: (secret: Secret) => string;
  /** the target app's version (`--target-version`, `targets[].version`); absent: output every supported version reads, or a warning naming those it does not fit */
  version?: string;
  /** the mail.yaml's folder: relative paths (`tls.ca`, `{ file: }` secrets) are written absolute, resolved from it */
  baseDir?: string;
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
  /** verified | derived | unverified, from docs/reference/targets.md */
  status: 'verified' | 'derived' | 'unverified';
  /** what the status rests on (for derived: exactly what was not read) */
  statusNote?: string;
  /** app versions whose reading of the output differs (`--target-version` picks one) */
  versions: TargetVersionMeta[];
  /** whether the app can log in with XOAUTH2 (yes: refreshes tokens itself; partial: takes an access token) */
  xoauth2: Xoauth2Support;
}

/** A target's XOAUTH2 support, declared once in its renderer module. */
export interface Xoauth2Support {
  support: 'yes' | 'partial' | 'no';
  /** what it rests on (source read) or why not, with the way around it */
  note: string;
}

/** A range of app versions that read a target's output in their own way. */
export interface TargetVersionMeta {
  /** e.g. `< 4.4`, `≥ 4.4`, `9.0.0 – 9.0.x` */
  range: string;
  /** what those versions do differently */
  reads: string;
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
