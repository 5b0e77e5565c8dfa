import { MailcheckError } from '../errors.ts';
import type { Profile } from '../types.ts';

const VAR = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/** Whether a string holds a `${VAR}` reference (its value is only known at run time). */
export function hasReference(value: string): boolean {
  VAR.lastIndex = 0;
  return VAR.test(value);
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

/** A copy of the profile with `${VAR}` resolved in every non-secret string. */
export function interpolateProfile(profile: Profile, env: Record<string, string | undefined>): Profile {
  return walk(profile, env, `profile "${profile.name}"`);
}
