import { looksLikeAddress } from '../config/address.ts';
import { joinPointer } from '../config/pointer.ts';
import type { Finding, Rule } from '../types.ts';

export const rule: Rule = {
  meta: {
    id: 'from-required',
    severity: 'error',
    description: 'There is no `from.address` and the username is not an address to send from.',
    rationale: 'Apps fall back to the login as the sender; when the login is `apikey` or a key id, every message goes out with an invalid From and is rejected.',
    fix: 'Add `from: { address: billing@acme.example, name: Acme Billing }`.',
    example: { bad: 'auth: { username: apikey, password: ${SENDGRID_API_KEY} }', good: 'auth: { username: apikey, password: ${SENDGRID_API_KEY} }\nfrom: { address: billing@acme.example }' },
    messages: {
      missing: 'profile "{{profile}}" has no from.address and its username "{{username}}" is not an address',
      missingNoAuth: 'profile "{{profile}}" has no from.address',
    },
    hints: { missing: 'add from: { address: you@your-domain, name: … }', missingNoAuth: 'add from: { address: you@your-domain, name: … }' },
  },
  check(ctx) {
    const out: Finding[] = [];
    for (const view of ctx.profiles) {
      const p = view.profile;
      if (p.transport === 'sendmail' || p.from?.address) continue;
      const username = p.auth?.username;
      if (username && (looksLikeAddress(username) || username.includes('${'))) continue;
      out.push(
        username
          ? { messageId: 'missing', data: { profile: p.name, username }, pointer: view.pointerOf('auth/username'), profile: p.name }
          : { messageId: 'missingNoAuth', data: { profile: p.name }, pointer: joinPointer(['profiles', p.name]), profile: p.name, atKey: true },
      );
    }
    return out;
  },
};
