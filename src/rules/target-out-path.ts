import { isAbsolute, normalize, sep } from 'node:path';
import type { Finding, Rule } from '../types.ts';

/** Whether a relative path climbs out of its folder (`../x`, `a/../../x`). */
function leaves(path: string): boolean {
  const n = normalize(path);
  return n === '..' || n.startsWith(`..${sep}`) || n.startsWith('../');
}

export const rule: Rule = {
  meta: {
    id: 'target-out-path',
    severity: 'warning',
    description: 'A `targets[].out` is absolute or leaves the folder of the mail.yaml.',
    rationale:
      'deploy writes every out: file; a relative path is kept inside the mail.yaml\'s folder (and one that climbs out with `..` is refused), while an absolute path is taken as written, so a reviewer should see it (SPEC §7).',
    fix: 'Write the path relative to the mail.yaml, inside its folder (e.g. deploy/mail.env).',
    example: { bad: 'targets: [{ target: laravel, profile: production, out: /etc/app/mail.env }]', good: 'targets: [{ target: laravel, profile: production, out: deploy/mail.env }]' },
    messages: {
      absolute: 'out: {{out}} is an absolute path: deploy writes it as written, outside the repository',
      outside: 'out: {{out}} leaves the folder of the mail.yaml: deploy refuses it',
    },
    hints: {
      absolute: 'write the path relative to the mail.yaml (deploy/mail.env) unless this file really must go there',
      outside: 'write the file inside the mail.yaml\'s folder',
    },
  },
  check(ctx) {
    const out: Finding[] = [];
    const targets = Array.isArray(ctx.data.targets) ? (ctx.data.targets as unknown[]) : [];
    targets.forEach((t, i) => {
      const path = typeof t === 'object' && t !== null ? (t as { out?: unknown }).out : undefined;
      if (typeof path !== 'string' || path === '') return;
      const pointer = `/targets/${i}/out`;
      if (isAbsolute(path)) out.push({ messageId: 'absolute', data: { out: path }, pointer });
      else if (leaves(path)) out.push({ messageId: 'outside', data: { out: path }, pointer, severity: 'error' });
    });
    return out;
  },
};
