import { SECRET_PATHS } from '../config/resolve.ts';
import type { Finding, Rule, Secret } from '../types.ts';

export const rule: Rule = {
  meta: {
    id: 'plaintext-secret',
    severity: 'error',
    description: 'A secret (password, client secret, token, API key) is written literally instead of referenced.',
    rationale: 'mail.yaml lives in version control; a literal secret is leaked to everyone with read access, forever.',
    fix: 'Reference it: `${SMTP_PASSWORD}`, `{ env: SMTP_PASSWORD }` or `{ file: /run/secrets/smtp }`, and set the value in the environment.',
    example: { bad: 'auth:\n  password: hunter2', good: 'auth:\n  password: ${SMTP_PASSWORD}' },
    messages: { literal: '{{field}} is written in clear; reference it instead' },
    hints: { literal: 'write ${SMTP_PASSWORD} (or { env: NAME } / { file: PATH }) and keep the value out of the file' },
  },
  check(ctx) {
    const out: Finding[] = [];
    for (const view of ctx.profiles) {
      const p = view.profile as unknown as Record<string, Record<string, unknown> | undefined>;
      for (const path of SECRET_PATHS) {
        const [group, key] = path.split('/') as [string, string];
        const secret = p[group]?.[key] as Secret | undefined;
        if (secret?.ref.kind !== 'literal' || !view.isUserSet(path)) continue;
        out.push({ messageId: 'literal', data: { field: path.replace('/', '.') }, pointer: view.pointerOf(path), profile: view.profile.name });
      }
    }
    return out;
  },
};
