import type { Finding, Rule } from '../types.ts';

export const rule: Rule = {
  meta: {
    id: 'port-25-submission',
    severity: 'warning',
    description: 'Authenticated submission on port 25.',
    rationale: 'Port 25 is for server-to-server relay: most clouds and ISPs block it outbound, and it is often unencrypted. Submission belongs on 587 or 465 (RFC 8314).',
    fix: 'Use `port: 587` with `encryption: starttls`, or `port: 465` with `encryption: ssl`.',
    example: { bad: 'port: 25\nauth: { username: app@acme.example, password: ${SMTP_PASSWORD} }', good: 'port: 587\nencryption: starttls\nauth: { username: app@acme.example, password: ${SMTP_PASSWORD} }' },
    messages: { port25: 'profile "{{profile}}" logs in on port 25, which is often blocked outbound and unencrypted' },
    hints: { port25: 'use 587 with starttls or 465 with ssl' },
  },
  check(ctx) {
    const out: Finding[] = [];
    for (const view of ctx.profiles) {
      const p = view.profile;
      if (p.transport !== 'smtp' || p.port !== 25 || !p.auth || p.auth.method === 'none') continue;
      out.push({ messageId: 'port25', data: { profile: p.name }, pointer: view.pointerOf('port'), profile: p.name });
    }
    return out;
  },
};
