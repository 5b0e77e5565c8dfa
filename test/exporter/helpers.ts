import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Sandbox } from '../../src/sandbox/index.ts';

export const PASSWORD_VAR = 'SANDBOX_PASSWORD';
export const WRONG_VAR = 'WRONG_PASSWORD';

/** A program the test drives; missing is a failure that says how to install it (never a skip). */
export function requireProgram(name: string): string {
  const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  const path = r.stdout.trim();
  if (r.status !== 0 || !path) {
    throw new Error(`${name} is not installed: run \`bash scripts/setup-system.sh\` (or apt-get install -y --no-install-recommends prometheus)`);
  }
  return path;
}

export interface ProfilesDir {
  dir: string;
  file: string;
  env: Record<string, string>;
  /** the secrets a body must never contain */
  secrets: string[];
}

function profile(name: string, host: string, port: number, encryption: string, passwordVar: string, user: string, caPath: string): string[] {
  return [
    `  ${name}:`,
    `    host: ${JSON.stringify(host)}`,
    `    port: ${port}`,
    `    encryption: ${encryption}`,
    '    auth:',
    '      method: plain',
    `      username: ${JSON.stringify(user)}`,
    `      password: \${${passwordVar}}`,
    `    from: { address: ${JSON.stringify(user)} }`,
    `    tls: { ca: ${JSON.stringify(caPath)} }`,
  ];
}

/**
 * A mail.yaml with the sandbox's good profiles (`ssl`, `starttls`), a wrong password
 * (`wrong-password`), and the fault listeners `expired`, `tarpit`.
 */
export async function writeProfiles(sb: Sandbox): Promise<ProfilesDir> {
  const dir = mkdtempSync(join(tmpdir(), 'mailcheck-exporter-'));
  const user = sb.users[0]!.username;
  const expired = await sb.startFault('expired-cert');
  const tarpit = await sb.startFault('tarpit');
  const wrong = 'wrong-' + sb.users[0]!.password.slice(0, 6) + 'Xq9';
  const lines = [
    'version: 1',
    'profiles:',
    ...profile('ssl', sb.host, sb.smtp.ssl.port, 'ssl', PASSWORD_VAR, user, sb.caPath),
    ...profile('starttls', sb.host, sb.smtp.starttls.port, 'starttls', PASSWORD_VAR, user, sb.caPath),
    ...profile('wrong-password', sb.host, sb.smtp.ssl.port, 'ssl', WRONG_VAR, user, sb.caPath),
    ...profile('expired', sb.host, expired.port, 'ssl', PASSWORD_VAR, user, sb.caPath),
    ...profile('tarpit', sb.host, tarpit.port, 'starttls', PASSWORD_VAR, user, sb.caPath),
    '',
  ];
  const file = join(dir, 'mail.yaml');
  writeFileSync(file, lines.join('\n'));
  const password = sb.users[0]!.password;
  return { dir, file, env: { [PASSWORD_VAR]: password, [WRONG_VAR]: wrong }, secrets: [password, wrong] };
}

/** Parses a text exposition body into `name{labels} value` → value. */
export function samples(body: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of body.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const i = line.lastIndexOf(' ');
    out.set(line.slice(0, i), Number(line.slice(i + 1)));
  }
  return out;
}

/** Every label value of a text exposition body. */
export function labelValues(body: string): string[] {
  const out: string[] = [];
  for (const m of body.matchAll(/[a-zA-Z_][a-zA-Z0-9_]*="((?:[^"\\]|\\.)*)"/g)) out.push(m[1]!);
  return out;
}
