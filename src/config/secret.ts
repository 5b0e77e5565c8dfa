import { isAbsolute, resolve } from 'node:path';
import { readBoundedText } from '../safety/fs.ts';
import { registerSecret } from '../safety/redact.ts';

/** Where a secret's value comes from. */
export type SecretRef =
  | { kind: 'env'; name: string; default?: string }
  | { kind: 'file'; path: string }
  /** written literally in mail.yaml (the `plaintext-secret` rule reports it) */
  | { kind: 'literal' };

const REDACTED = '[redacted]';
const valueOf = new WeakMap<Secret, string>();

/**
 * A secret value. It prints as `[redacted]` through String(), JSON.stringify, util.inspect and
 * template literals; the value is only reachable through {@link revealSecret}, which is called
 * at the socket or when a file is written with `--secrets inline`.
 */
export class Secret {
  readonly ref: SecretRef;

  constructor(ref: SecretRef, literal?: string) {
    this.ref = Object.freeze({ ...ref });
    if (literal !== undefined) valueOf.set(this, literal);
    Object.freeze(this);
  }

  /** A human-readable description of the reference that never includes the value. */
  describe(): string {
    switch (this.ref.kind) {
      case 'env':
        return `environment variable ${this.ref.name}`;
      case 'file':
        return `file ${this.ref.path}`;
      default:
        return 'a literal value in mail.yaml';
    }
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return REDACTED;
  }
}

export function isSecret(value: unknown): value is Secret {
  return value instanceof Secret;
}

/** Error with a stable code, raised when a secret cannot be resolved. Never carries the value. */
export class SecretError extends Error {
  readonly code = 'E_SECRET';
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

export interface SecretSource {
  env: Record<string, string | undefined>;
  /** folder that `{ file: ./x }` paths are relative to (the mail.yaml's folder) */
  baseDir: string;
}

/** Resolves a secret's value. Throws {@link SecretError} naming the variable or file, never the value. */
export function revealSecret(secret: Secret, source: SecretSource): string {
  const value = readSecret(secret, source);
  registerSecret(value);
  return value;
}

function readSecret(secret: Secret, source: SecretSource): string {
  const ref = secret.ref;
  if (ref.kind === 'literal') return valueOf.get(secret) ?? '';
  if (ref.kind === 'env') {
    const v = source.env[ref.name];
    if (v !== undefined && v !== '') return v;
    if (ref.default !== undefined) return ref.default;
    throw new SecretError(
      `environment variable ${ref.name} is not set`,
      `export ${ref.name}=… or pass --env-file with a line ${ref.name}=…`,
    );
  }
  const path = isAbsolute(ref.path) ? ref.path : resolve(source.baseDir, ref.path);
  try {
    return readBoundedText(path, { label: 'secret file' }).replace(/\r?\n$/, '');
  } catch (err) {
    // never the content: the message says where and what the file is (a FIFO, too large…)
    throw new SecretError((err as Error).message.replace(path, ref.path), 'check the path and its permissions');
  }
}

/** Whether the secret can be resolved from `source`, without reading or returning its value. */
export function secretAvailable(secret: Secret, source: SecretSource): boolean {
  try {
    revealSecret(secret, source);
    return true;
  } catch {
    return false;
  }
}
