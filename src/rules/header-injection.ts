import { environmentProblems } from '../config/interpolate.ts';
import type { Finding, ProfileView, Rule } from '../types.ts';

/** Fields that end up in message headers or SMTP commands. */
function fields(view: ProfileView): [string, string | undefined][] {
  const p = view.profile;
  return [
    ['from/name', p.from?.name],
    ['from/address', p.from?.address],
    ['replyTo', p.replyTo],
    ['auth/username', p.auth?.username],
    ['auth/user', p.auth?.user],
    ['http/replyTo', p.http?.replyTo],
    ['ehlo', p.ehlo],
    ...p.bcc.map((b, i): [string, string] => [`bcc/${i}`, b]),
  ];
}

function pointerOf(view: ProfileView, path: string): string {
  const m = /^(bcc|http\/headers)\/(.+)$/.exec(path);
  return m ? `${view.pointerOf(m[1]!)}/${m[2]}` : view.pointerOf(path);
}

export const rule: Rule = {
  meta: {
    id: 'header-injection',
    severity: 'error',
    description: 'A name, address, subject or username contains CR, LF or NUL.',
    rationale: 'A line break in a header value lets the value add headers (Bcc, Content-Type) or SMTP commands: header injection.',
    fix: 'Remove the line break; YAML block scalars (`|`, `>`) and "\\n" escapes add them.',
    example: { bad: 'from:\n  name: "Acme\\r\\nBcc: victim@example.com"\n  address: billing@acme.example', good: 'from:\n  name: Acme Billing\n  address: billing@acme.example' },
    messages: {
      control: '{{field}} contains a {{char}} character',
      // the value came from the environment: name the variable, never show the value (SPEC §7)
      controlFromEnv: '{{field}} gets a {{char}} character from {{variables}}',
    },
    hints: {
      control: 'keep the value on one line, without \\r, \\n or \\0',
      controlFromEnv: 'fix the environment variable (or the --env-file): one line, without \\r, \\n or \\0',
    },
  },
  check(ctx) {
    const out: Finding[] = [];
    for (const view of ctx.profiles) {
      for (const [path, value] of fields(view)) {
        const m = value === undefined ? null : /[\r\n\0]/.exec(value);
        if (!m) continue;
        const char = m[0] === '\r' ? 'carriage return (CR)' : m[0] === '\n' ? 'line feed (LF)' : 'NUL';
        const pointer = path.startsWith('bcc/') ? `${view.pointerOf('bcc')}/${path.slice(4)}` : view.pointerOf(path);
        out.push({ messageId: 'control', data: { field: path.replace(/\//g, '.'), char }, pointer, profile: view.profile.name });
      }
      if (!ctx.env) continue;
      for (const p of environmentProblems(view.profile, ctx.env)) {
        if (p.reason !== 'break') continue;
        out.push({
          messageId: 'controlFromEnv',
          data: { field: p.field, char: p.char ?? 'control', variables: p.variables.map((v) => `\${${v}}`).join(', ') },
          pointer: pointerOf(view, p.pointer),
          profile: view.profile.name,
        });
      }
    }
    return out;
  },
};
