import type { Finding, PresetPolicy, Rule } from '../types.ts';
import { logsInWithPassword, passwordPointer } from './provider-app-password.ts';

const KIND = 'basic-auth-retirement';
const startOf = (date: string): number => Date.parse(`${date}T00:00:00Z`);

/** Whether a JSON pointer names a value present in the document. */
function present(data: unknown, pointer: string): boolean {
  let node = data;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (typeof node !== 'object' || node === null || !Object.prototype.hasOwnProperty.call(node, key)) return false;
    node = (node as Record<string, unknown>)[key];
  }
  return true;
}

export const rule: Rule = {
  meta: {
    id: 'provider-basic-auth',
    severity: 'warning',
    description: 'Password login where the provider is retiring it (a warning) or has retired it (an error): Microsoft 365, Outlook.com.',
    rationale:
      'Microsoft turns off SMTP AUTH with a password (Basic authentication) on set dates; from then on every login fails with 535 5.7.139 and no mail leaves. The dates come from the preset, so the warning turns into an error on the day.',
    fix: 'Switch the profile to OAuth2 (`auth.method: xoauth2` with clientId, clientSecret and refreshToken references), or send through another service.',
    example: {
      bad: 'preset: office365\nauth: { method: login, username: app@acme.example, password: ${SMTP_PASSWORD} }',
      good: 'preset: office365\nauth:\n  method: xoauth2\n  user: app@acme.example\n  clientId: ${OAUTH_CLIENT_ID}\n  clientSecret: ${OAUTH_CLIENT_SECRET}\n  refreshToken: ${OAUTH_REFRESH_TOKEN}',
    },
    messages: {
      retiring: '{{provider}} stops accepting password logins on {{date}}: {{summary}}',
      retired: '{{provider}} has refused password logins since {{date}}: {{summary}}',
    },
    hints: {
      retiring: 'move profile "{{profile}}" to auth.method: xoauth2 before {{date}}',
      retired: 'use auth.method: xoauth2 for profile "{{profile}}"',
    },
  },
  check(ctx) {
    const out: Finding[] = [];
    const now = ctx.now.getTime();
    for (const view of ctx.profiles) {
      const preset = view.provider?.preset;
      if (!preset || !logsInWithPassword(view)) continue;
      const policies = preset.policies.filter((x) => x.kind === KIND).sort((a, b) => startOf(a.date) - startOf(b.date));
      if (policies.length === 0) continue;
      const past = policies.filter((x) => startOf(x.date) <= now);
      const policy: PresetPolicy = past.length > 0 ? past[past.length - 1]! : policies[0]!;
      const retired = past.length > 0;
      const p = view.profile;
      // point at `method: login` when it is written, else at the password the login would send
      const methodAt = view.pointerOf('auth/method');
      const pointer = view.isUserSet('auth/method') && present(ctx.data, methodAt) ? methodAt : passwordPointer(view);
      const f: Finding = {
        messageId: retired ? 'retired' : 'retiring',
        data: { profile: p.name, provider: preset.name, date: policy.date, summary: policy.summary },
        pointer,
        profile: p.name,
      };
      if (retired) f.severity = 'error';
      out.push(f);
    }
    return out;
  },
};
