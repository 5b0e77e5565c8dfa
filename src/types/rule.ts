import type { Profile, Severity, SourceRange } from './config.ts';
import type { Preset, ProviderMatch } from './preset.ts';

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
  /** the rule repairs some of its findings (`lint --fix`): those that carry a `fix` */
  fixable?: boolean;
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
  /**
   * The one safe repair, when there is one (`lint --fix`): the scalar at `pointer` (its key with
   * `atKey`) becomes `value`, written in the same quoting style. Never for a value that came from a
   * preset or through a YAML alias, and never for a secret.
   */
  fix?: { value: string | number };
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
  /** the run's environment when a command will use it: rules then judge values after `${VAR}` interpolation too */
  env?: Record<string, string | undefined>;
}

export interface Rule {
  meta: RuleMeta;
  check(ctx: RuleContext): Finding[];
}
