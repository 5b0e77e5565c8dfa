import { addressDomain, looksLikeAddress } from '../config/address.ts';
import type { Finding, Rule } from '../types.ts';

export const rule: Rule = {
  meta: {
    id: 'sender-domain-mismatch',
    severity: 'warning',
    description: "The From domain differs from the login's domain at a provider that rewrites or rejects such mail.",
    rationale:
      'Mailbox providers let an account send only as itself (or as addresses verified in the account): Gmail rewrites the From, Yahoo and Outlook refuse the message (553, 5.7.60). The recipient sees another sender, or nothing arrives.',
    fix: "Send from the login's address, verify the From address as an alias in the provider's settings, or use a sending service for your own domain.",
    example: {
      bad: 'preset: gmail\nauth: { username: me@gmail.com, password: ${SMTP_PASSWORD} }\nfrom: { address: billing@acme.example }',
      good: 'preset: gmail\nauth: { username: me@gmail.com, password: ${SMTP_PASSWORD} }\nfrom: { address: me@gmail.com }',
    },
    messages: {
      mismatch: 'From domain {{fromDomain}} differs from the login domain {{loginDomain}}: {{provider}} rewrites or rejects such mail',
    },
    hints: { mismatch: 'send from an address at {{loginDomain}}, or verify {{from}} as a "send as" address at {{provider}}' },
  },
  check(ctx) {
    const out: Finding[] = [];
    for (const view of ctx.profiles) {
      const preset = view.provider?.preset;
      if (!preset?.enforcesSenderDomain) continue;
      const p = view.profile;
      const login = p.auth?.method === 'xoauth2' ? (p.auth.user ?? p.auth.username) : p.auth?.username;
      const from = p.from?.address;
      if (!login || !from || login.includes('${') || from.includes('${')) continue;
      if (!looksLikeAddress(login) || !looksLikeAddress(from)) continue;
      const loginDomain = addressDomain(login);
      const fromDomain = addressDomain(from);
      if (!loginDomain || !fromDomain || loginDomain === fromDomain) continue;
      out.push({
        messageId: 'mismatch',
        data: { from, fromDomain, loginDomain, provider: preset.name },
        pointer: view.pointerOf('from/address'),
        profile: p.name,
      });
    }
    return out;
  },
};
