import type { Encryption, Preset } from '../types.ts';
import { VERSION } from '../version.ts';
import { concreteHost } from './index.ts';

/** What `mailcheck init` writes a profile from. */
export interface StarterInput {
  /** the provider, when known: written as `preset:` and used for the login's shape */
  preset?: Preset;
  /** the connection; for an SMTP preset without it, the preset's preferred endpoint */
  endpoint?: { host: string; port: number; encryption: Encryption };
  /** the From address */
  from: string;
  /** @default 'production' */
  profile?: string;
  /** comment lines for the top of the file (what was found, how sure) */
  comments?: string[];
  /** comment lines put above the connection settings (e.g. "guessed, not found in DNS") */
  connectionComments?: string[];
}

/** The environment variable every starter file references for the password or API key. */
export const PASSWORD_ENV = 'SMTP_PASSWORD';
/**
 * The schema a starter file names for editors (yaml-language-server): the schema of this very
 * version, as unpkg serves it from the npm package (reachable without installing anything), and
 * the installed copy as the offline alternative.
 */
export const SCHEMA_URL = `https://unpkg.com/mailcheck-cli@${VERSION}/schema/mail.schema.json`;
export const SCHEMA_COMMENT = `# yaml-language-server: $schema=${SCHEMA_URL}`;
export const SCHEMA_LOCAL_COMMENT = '#   offline, after npm install: $schema=./node_modules/mailcheck-cli/schema/mail.schema.json';

/** A YAML scalar: plain when that reads back as the same string, else double-quoted (JSON). */
function scalar(value: string): string {
  if (/^[A-Za-z0-9_][A-Za-z0-9_.@+/-]*$/.test(value) && !/^(true|false|null|yes|no|on|off|y|n|~)$/i.test(value) && !/^[0-9.+-]+$/.test(value)) {
    return value;
  }
  return JSON.stringify(value);
}

/** The username a provider expects, from its `auth.username` form and the From address. */
export function starterUsername(preset: Preset | undefined, from: string): string {
  const form = preset?.auth.username;
  const at = from.lastIndexOf('@');
  const local = from.slice(0, at);
  const domain = from.slice(at + 1);
  if (!form || form === 'address') return from;
  if (form === 'localpart') return local;
  if (form === 'localpart.domain') return `${local}.${domain}`;
  // a literal the provider fixes (apikey, resend, SMTP_Injection, api)
  if (/^[A-Za-z0-9_]+$/.test(form)) return form;
  return '${SMTP_USERNAME}';
}

function comment(text: string, indent: string): string[] {
  return text.split('\n').map((l) => `${indent}# ${l}`.trimEnd());
}

/**
 * A starting mail.yaml: one profile, secrets as `${…}` references, lint-clean for every built-in
 * preset (provider rules at info level aside).
 */
export function starterYaml(input: StarterInput): string {
  const name = input.profile ?? 'production';
  const preset = input.preset;
  const i = '    ';
  const lines: string[] = [SCHEMA_COMMENT, SCHEMA_LOCAL_COMMENT];
  for (const c of input.comments ?? []) lines.push(...comment(c, ''));
  lines.push('version: 1', 'profiles:', `  ${scalar(name)}:`);
  if (preset) lines.push(`${i}preset: ${scalar(preset.id)}`);

  if (preset?.transport === 'http') {
    lines.push(`${i}transport: http`, `${i}http:`, `${i}  url: ${scalar(preset.http?.url ?? '')}`, `${i}  replyTo: ${scalar(input.from)}`);
    if (preset.auth.note) lines.push(...comment(preset.auth.note, i));
    lines.push(`${i}from:`, `${i}  address: ${scalar(input.from)}`, '');
    return lines.join('\n');
  }

  const first = preset?.endpoints[0];
  const endpoint = input.endpoint ?? (first && preset ? { host: concreteHost(preset, first.host), port: first.port, encryption: first.encryption } : undefined);
  if (!endpoint) throw new Error('starterYaml: an SMTP profile needs an endpoint');
  for (const c of input.connectionComments ?? []) lines.push(...comment(c, i));
  if (preset?.variables && first && first.host.includes('{') && !input.endpoint) {
    for (const [v, values] of Object.entries(preset.variables)) lines.push(`${i}# {${v}}: one of ${values.join(', ')}`);
  }
  lines.push(`${i}host: ${scalar(endpoint.host)}`, `${i}port: ${endpoint.port}`, `${i}encryption: ${endpoint.encryption}`);

  lines.push(`${i}auth:`);
  if (preset?.auth.note) lines.push(...comment(preset.auth.note, `${i}  `));
  if (preset?.auth.oauth2 || preset?.policies.some((x) => x.topic === 'basic-auth')) {
    // password logins are refused, or being retired in phases: start on OAuth2, with references
    lines.push(
      `${i}  method: xoauth2`,
      `${i}  user: ${scalar(input.from)}`,
      `${i}  clientId: \${OAUTH_CLIENT_ID}`,
      `${i}  clientSecret: \${OAUTH_CLIENT_SECRET}`,
      `${i}  refreshToken: \${OAUTH_REFRESH_TOKEN}`,
    );
    if (preset.auth.tokenUrl) lines.push(`${i}  tokenUrl: ${scalar(preset.auth.tokenUrl)}`);
  } else {
    const method = preset?.auth.methods.find((m) => m !== 'xoauth2' && m !== 'none') ?? 'login';
    lines.push(`${i}  method: ${method}`, `${i}  username: ${scalar(starterUsername(preset, input.from))}`, `${i}  password: \${${PASSWORD_ENV}}`);
  }
  lines.push(`${i}from:`, `${i}  address: ${scalar(input.from)}`, '');
  return lines.join('\n');
}
