import { MailcheckError } from '../errors.ts';
import type { Profile } from '../types.ts';
import { addressProblem } from './address.ts';

const VAR = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/** Whether a string holds a `${VAR}` reference (its value is only known at run time). */
export function hasReference(value: string): boolean {
  VAR.lastIndex = 0;
  return VAR.test(value);
}

/** The names of the variables a string refers to, in order, each once. */
export function referencedVariables(value: string): string[] {
  // a fresh expression: matchAll would start at the shared one's lastIndex
  return [...new Set(Array.from(value.matchAll(new RegExp(VAR.source, 'g')), (m) => m[1]!))];
}

/** Replaces `${NAME}` / `${NAME:-default}` in one string; throws naming the missing variable. */
export function interpolateString(value: string, env: Record<string, string | undefined>, where: string): string {
  return value.replace(VAR, (_, name: string, fallback: string | undefined) => {
    const v = env[name];
    if (v !== undefined && v !== '') return v;
    if (fallback !== undefined) return fallback;
    throw new MailcheckError('E_ENV', `${where} uses \${${name}}, which is not set`, `export ${name}=… or pass --env-file`);
  });
}

function walk<T>(value: T, env: Record<string, string | undefined>, where: string): T {
  if (typeof value === 'string') return interpolateString(value, env, where) as T;
  if (Array.isArray(value)) return value.map((v) => walk(v, env, where)) as T;
  if (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = walk(v, env, where);
    return out as T;
  }
  return value; // numbers, booleans, Secret instances (resolved only at the socket)
}

/**
 * What a value that reaches the wire must be: one line of an SMTP command or header (`line`), a
 * mailbox (`address`, also one line), or an `https:` URL that credentials are posted to (`https`).
 */
export type WireKind = 'line' | 'address' | 'https';

/** Every profile field whose value becomes part of an SMTP command, a header or a credential request. */
export function wireFields(p: Profile): { field: string; pointer: string; kind: WireKind; value: string | undefined }[] {
  return [
    { field: 'host', pointer: 'host', kind: 'line', value: p.host },
    { field: 'ehlo', pointer: 'ehlo', kind: 'line', value: p.ehlo },
    { field: 'from.address', pointer: 'from/address', kind: 'address', value: p.from?.address },
    { field: 'from.name', pointer: 'from/name', kind: 'line', value: p.from?.name },
    { field: 'replyTo', pointer: 'replyTo', kind: 'address', value: p.replyTo },
    ...p.bcc.map((b, i) => ({ field: `bcc[${i}]`, pointer: `bcc/${i}`, kind: 'address' as const, value: b })),
    { field: 'auth.username', pointer: 'auth/username', kind: 'line', value: p.auth?.username },
    { field: 'auth.user', pointer: 'auth/user', kind: 'line', value: p.auth?.user },
    { field: 'auth.clientId', pointer: 'auth/clientId', kind: 'line', value: p.auth?.clientId },
    { field: 'auth.tokenUrl', pointer: 'auth/tokenUrl', kind: 'https', value: p.auth?.tokenUrl },
    { field: 'tls.servername', pointer: 'tls/servername', kind: 'line', value: p.tls?.servername },
    { field: 'http.replyTo', pointer: 'http/replyTo', kind: 'address', value: p.http?.replyTo },
    ...Object.entries(p.http?.headers ?? {}).map(([k, v]) => ({ field: `http.headers.${k}`, pointer: `http/headers/${k}`, kind: 'line' as const, value: v })),
  ];
}

const BREAK = /[\r\n\0]/;

/** The character that breaks a line, named (never shown). */
export function breakName(value: string): string | undefined {
  const m = BREAK.exec(value);
  if (!m) return undefined;
  return m[0] === '\r' ? 'carriage return (CR)' : m[0] === '\n' ? 'line feed (LF)' : 'NUL';
}

/** Why a value cannot go on the wire: a line break (`char` names it), not a mailbox, not https. */
export type WireProblemKind = 'break' | 'address' | 'https';

/**
 * Why `value` cannot go on the wire as `kind`, in words that never repeat the value (it may
 * come from the environment and hold anything), or undefined when it can.
 */
export function wireProblem(value: string, kind: WireKind): { reason: WireProblemKind; text: string; char?: string } | undefined {
  const br = breakName(value);
  if (br) return { reason: 'break', text: `contains a ${br} character`, char: br };
  if (kind === 'address' && addressProblem(value)) return { reason: 'address', text: 'is not a valid mailbox address' };
  if (kind === 'https' && !/^https:\/\/[^\s/]/i.test(value)) {
    return { reason: 'https', text: 'is not an https: URL (the client secret and refresh token would travel in clear)' };
  }
  return undefined;
}

/** A field that became unsafe through `${VAR}` interpolation: which field, which variables, why. */
export interface InterpolationProblem {
  field: string;
  /** JSON-pointer tail inside the profile, e.g. `from/address` */
  pointer: string;
  variables: string[];
  reason: WireProblemKind;
  /** the line-breaking character, named, for `break` */
  char?: string;
  problem: string;
}

/**
 * SPEC §7: values are checked again after `${VAR}` interpolation, since the environment can hold
 * anything (a CRLF in `MAIL_FROM` would add SMTP commands). Compares each wire field of `raw`
 * with its interpolated form; a field without a reference is lint's business and is skipped.
 */
export function interpolationProblems(raw: Profile, interpolated: Profile): InterpolationProblem[] {
  const after = new Map(wireFields(interpolated).map((f) => [f.pointer, f.value]));
  const out: InterpolationProblem[] = [];
  for (const f of wireFields(raw)) {
    if (f.value === undefined || !hasReference(f.value)) continue;
    const value = after.get(f.pointer);
    if (value === undefined) continue;
    const problem = wireProblem(value, f.kind);
    if (problem) out.push({ field: f.field, pointer: f.pointer, variables: referencedVariables(f.value), reason: problem.reason, ...(problem.char ? { char: problem.char } : {}), problem: problem.text });
  }
  return out;
}

/**
 * {@link interpolationProblems} of a profile as it will be run with `env`, without throwing: a
 * field whose variable is missing is skipped (the run names the missing variable itself).
 * Lint uses it when a command gives it the environment.
 */
export function environmentProblems(profile: Profile, env: Record<string, string | undefined>): InterpolationProblem[] {
  const out: InterpolationProblem[] = [];
  for (const f of wireFields(profile)) {
    if (f.value === undefined || !hasReference(f.value)) continue;
    let value: string;
    try {
      value = interpolateString(f.value, env, f.field);
    } catch {
      continue;
    }
    const problem = wireProblem(value, f.kind);
    if (problem) out.push({ field: f.field, pointer: f.pointer, variables: referencedVariables(f.value), reason: problem.reason, ...(problem.char ? { char: problem.char } : {}), problem: problem.text });
  }
  return out;
}

/** `from.address (from ${MAIL_FROM}) contains a line feed (LF) character`: names, never values. */
export function describeInterpolationProblem(p: InterpolationProblem): string {
  return `${p.field} (from ${p.variables.map((v) => `\${${v}}`).join(', ')}) ${p.problem}`;
}

/**
 * A copy of the profile with `${VAR}` resolved in every non-secret string. Throws
 * {@link MailcheckError} `E_ENV` naming a missing variable, and `E_UNSAFE_VALUE` naming the field
 * and the variable (never the value) when a value from the environment would put a line break
 * into an SMTP command or header, is no longer a valid address, or makes the token URL non-https.
 */
export function interpolateProfile(profile: Profile, env: Record<string, string | undefined>): Profile {
  const out = walk(profile, env, `profile "${profile.name}"`);
  const problems = interpolationProblems(profile, out);
  if (problems.length) {
    throw new MailcheckError(
      'E_UNSAFE_VALUE',
      `profile "${profile.name}": ${problems.map(describeInterpolationProblem).join('; ')}`,
      'fix the environment variable (one line, a bare address, an https: URL); nothing was sent',
    );
  }
  return out;
}
