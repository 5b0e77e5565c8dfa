import { readBoundedText } from '../safety/fs.ts';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { MailcheckError } from '../errors.ts';

/**
 * The environment that secrets and `${VAR}` references resolve from: `--env-file` files (dotenv
 * syntax, later files win) under the process environment (the process wins, as in dotenv).
 */
export function loadEnv(
  envFiles: readonly string[] | undefined,
  processEnv: Record<string, string | undefined>,
  cwd: string,
): Record<string, string | undefined> {
  const merged: Record<string, string | undefined> = Object.create(null) as Record<string, string | undefined>;
  for (const file of envFiles ?? []) {
    let text: string;
    try {
      text = readBoundedText(resolve(cwd, file), { label: '--env-file' });
    } catch (err) {
      throw new MailcheckError('E_ENV_FILE', (err as Error).message.replace(resolve(cwd, file), file), 'check the path');
    }
    Object.assign(merged, parseEnv(text));
  }
  for (const [k, v] of Object.entries(processEnv)) if (v !== undefined) merged[k] = v;
  return merged;
}
