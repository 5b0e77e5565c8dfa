import type { Finding, Rule } from '../types.ts';

export const rule: Rule = {
  meta: {
    id: 'cleartext-auth',
    severity: 'error',
    description: 'Credentials would be sent over a connection without encryption (`encryption: none`).',
    rationale: 'AUTH PLAIN and LOGIN send the password base64-encoded, which anyone on the path can read.',
    fix: 'Use `encryption: starttls` (port 587) or `ssl` (port 465); turn the rule off only for a relay on a trusted network.',
    example: {
      bad: 'encryption: none\nauth: { username: app@acme.example, password: ${SMTP_PASSWORD} }',
      good: 'port: 587\nencryption: starttls\nauth: { username: app@acme.example, password: ${SMTP_PASSWORD} }',
    },
    messages: { cleartext: 'profile "{{profile}}" sends its {{method}} credentials without encryption' },
    hints: { cleartext: 'set encryption: starttls (587) or ssl (465)' },
  },
  check(ctx) {
    const out: Finding[] = [];
    for (const view of ctx.profiles) {
      const p = view.profile;
      if (p.transport !== 'smtp' || p.encryption !== 'none' || !p.auth || p.auth.method === 'none') continue;
      if (!p.auth.username && !p.auth.password && !p.auth.accessToken && !p.auth.refreshToken) continue;
      out.push({ messageId: 'cleartext', data: { profile: p.name, method: p.auth.method }, pointer: view.pointerOf('encryption'), profile: p.name });
    }
    return out;
  },
};
