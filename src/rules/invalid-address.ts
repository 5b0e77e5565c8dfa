import { addressProblem } from '../config/address.ts';
import { environmentProblems, hasReference } from '../config/interpolate.ts';
import type { Finding, Rule } from '../types.ts';

export const rule: Rule = {
  meta: {
    id: 'invalid-address',
    severity: 'error',
    description: 'A from, replyTo or bcc address is not a valid mailbox (internationalised domains are fine).',
    rationale: 'Servers reject an invalid MAIL FROM or header address, often only at send time, in production.',
    fix: 'Write a bare address such as billing@acme.example; the display name goes in `from.name`.',
    example: { bad: 'from: { address: "Acme <billing@acme>" }', good: 'from: { address: billing@acme.example, name: Acme }' },
    messages: {
      invalid: '{{field}} "{{value}}" {{reason}}',
      // the value came from the environment: name the variable, never show the value (SPEC §7)
      invalidFromEnv: '{{field}} gets a value from {{variables}} that is not a valid mailbox address',
    },
    hints: { invalidFromEnv: 'set the variable to a bare address such as billing@acme.example' },
  },
  check(ctx) {
    const out: Finding[] = [];
    for (const view of ctx.profiles) {
      const p = view.profile;
      const fields: [string, string, string | undefined][] = [
        ['from.address', 'from/address', p.from?.address],
        ['replyTo', 'replyTo', p.replyTo],
        ['http.replyTo', 'http/replyTo', p.http?.replyTo],
        ...p.bcc.map((b, i): [string, string, string] => [`bcc[${i}]`, `bcc/${i}`, b]),
      ];
      for (const [field, path, value] of fields) {
        if (value === undefined || hasReference(value) || /[\r\n\0]/.test(value)) continue; // header-injection reports control characters
        const reason = addressProblem(value);
        if (!reason) continue;
        const pointer = path.startsWith('bcc/') ? `${view.pointerOf('bcc')}/${path.slice(4)}` : view.pointerOf(path);
        out.push({ messageId: 'invalid', data: { field, value, reason }, pointer, profile: p.name });
      }
      if (!ctx.env) continue;
      for (const e of environmentProblems(p, ctx.env)) {
        if (e.reason !== 'address') continue;
        const pointer = e.pointer.startsWith('bcc/') ? `${view.pointerOf('bcc')}/${e.pointer.slice(4)}` : view.pointerOf(e.pointer);
        out.push({ messageId: 'invalidFromEnv', data: { field: e.field, variables: e.variables.map((v) => `\${${v}}`).join(', ') }, pointer, profile: p.name });
      }
    }
    return out;
  },
};
