import type { Finding, Rule } from '../types.ts';

export const rule: Rule = {
  meta: {
    id: 'provider-daily-limit',
    severity: 'warning',
    description: "`limits.perDay` is above the provider's published daily limit.",
    rationale:
      'Past its daily limit a provider refuses mail (Gmail 550 5.4.5, Outlook 554 5.2.0) or locks the account for a day; an app that plans for more will lose mail.',
    fix: "Lower `limits.perDay` to the provider's limit, or move bulk mail to a sending service.",
    example: { bad: 'preset: gmail\nlimits: { perDay: 5000 }', good: 'preset: gmail\nlimits: { perDay: 500 }' },
    messages: { overLimit: 'limits.perDay is {{perDay}}, above the {{limit}} a day {{provider}} allows' },
    hints: { overLimit: 'set limits.perDay to at most {{limit}}, or send bulk mail through a sending service' },
  },
  check(ctx) {
    const out: Finding[] = [];
    for (const view of ctx.profiles) {
      const preset = view.provider?.preset;
      const limit = preset?.limits?.perDay;
      const perDay = view.profile.limits?.perDay;
      if (!preset || limit === undefined || perDay === undefined || perDay <= limit) continue;
      out.push({
        messageId: 'overLimit',
        data: { perDay, limit, provider: preset.name },
        pointer: view.pointerOf('limits/perDay'),
        profile: view.profile.name,
      });
    }
    return out;
  },
};
