/**
 * Writes a refresh token where the profile's `auth.refreshToken` reference points: a `{ file: }`
 * secret (the whole file, created 0600) or a variable in the `--env-file` given (that one line
 * replaced or appended, the rest kept, mode 0600). Atomic (temp file + rename), never through a
 * symlink, never into a device, FIFO or directory (SPEC §7). The token never appears in messages.
 */
import { promises as fs, constants } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { Secret } from '../config/secret.ts';
import { writeAllAtomic } from '../deploy/atomic.ts';
import { MailcheckError } from '../errors.ts';
import { registerSecret } from '../safety/redact.ts';

/** Largest env file rewritten (SPEC §7 bound on reads). */
const MAX_FILE = 1024 * 1024;

export interface TokenDestination {
  kind: 'file' | 'env-file';
  /** absolute path written */
  path: string;
  /** the variable, for an env file */
  variable?: string;
}

/** Where a refresh token for this reference goes; throws E_USAGE when it cannot be written. */
export function destinationOf(ref: Secret | undefined, baseDir: string, envFiles: readonly string[] | undefined, cwd: string): TokenDestination {
  if (!ref) {
    throw new MailcheckError('E_USAGE', 'the profile has no auth.refreshToken reference to write the token to', 'add auth.refreshToken: { file: ./secrets/refresh-token } or ${SMTP_REFRESH_TOKEN} with --env-file');
  }
  if (ref.ref.kind === 'file') {
    const p = ref.ref.path;
    return { kind: 'file', path: isAbsolute(p) ? p : resolve(baseDir, p) };
  }
  if (ref.ref.kind === 'env') {
    const file = envFiles?.at(-1);
    if (!file) {
      throw new MailcheckError('E_USAGE', `auth.refreshToken is the variable ${ref.ref.name}: name the file to write it to with --env-file`, `e.g. mailcheck oauth login --env-file .env`);
    }
    return { kind: 'env-file', path: resolve(cwd, file), variable: ref.ref.name };
  }
  throw new MailcheckError('E_USAGE', 'auth.refreshToken is written literally in mail.yaml: make it a reference first', 'auth.refreshToken: { file: ./secrets/refresh-token }');
}

async function regularOrMissing(path: string): Promise<number | undefined> {
  let st;
  try {
    st = await fs.lstat(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new MailcheckError('E_READ', `cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? 'EIO'})`);
  }
  if (st.isSymbolicLink()) throw new MailcheckError('E_READ', `${path} is a symbolic link: not writing the token through it`);
  if (!st.isFile()) throw new MailcheckError('E_READ', `${path} is not a regular file`);
  if (st.size > MAX_FILE) throw new MailcheckError('E_READ', `${path} is larger than 1 MiB`);
  return st.size;
}

/** A dotenv value that parses back to exactly `value` (tokens are URL-safe, but quote anyway when needed). */
function envValue(value: string): string {
  return /^[A-Za-z0-9._~+/=:-]*$/.test(value) ? value : `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** Writes the token; returns where it went (for the "written to" line). */
export async function storeRefreshToken(dest: TokenDestination, token: string): Promise<TokenDestination> {
  registerSecret(token);
  if (/[\r\n\0]/.test(token)) throw new MailcheckError('E_OAUTH', 'the provider returned a refresh token with a line break; not writing it');
  const size = await regularOrMissing(dest.path);
  if (dest.kind === 'file') {
    await writeAllAtomic([{ path: dest.path, content: `${token}\n`, mode: 0o600 }]);
    return dest;
  }
  const name = dest.variable!;
  const old = size === undefined ? '' : await fs.readFile(dest.path, { encoding: 'utf8', flag: constants.O_RDONLY | constants.O_NOFOLLOW });
  const line = `${name}=${envValue(token)}`;
  const pattern = new RegExp(`^(?:export\\s+)?${name.replace(/[^A-Za-z0-9_]/g, '')}\\s*=.*$`);
  const lines = old === '' ? [] : old.replace(/\n$/, '').split('\n');
  let replaced = false;
  const out: string[] = [];
  for (const l of lines) {
    if (pattern.test(l.replace(/\r$/, ''))) {
      // one line for the variable: the first is replaced, later duplicates dropped
      if (!replaced) out.push(line);
      replaced = true;
    } else out.push(l);
  }
  if (!replaced) out.push(line);
  await writeAllAtomic([{ path: dest.path, content: `${out.join('\n')}\n`, mode: 0o600 }]);
  return dest;
}
