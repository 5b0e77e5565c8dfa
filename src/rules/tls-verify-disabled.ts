import type { Finding, Rule } from '../types.ts';

export const rule: Rule = {
  meta: {
    id: 'tls-verify-disabled',
    severity: 'warning',
    description: '`tls.verify: false` turns off certificate verification (an error at a public provider).',
    rationale: 'Without verification anyone on the path can impersonate the server and collect the password; a public provider always has a valid certificate, so disabling it there is never needed.',
    fix: 'Remove `tls.verify: false`; for a private server, trust its CA with `tls.ca: ./ca.pem` instead.',
    example: { bad: 'tls: { verify: false }', good: 'tls: { ca: ./certs/internal-ca.pem }' },
    messages: {
      disabled: 'profile "{{profile}}" does not verify the server certificate',
      publicProvider: 'profile "{{profile}}" does not verify the certificate of {{provider}}, a public provider with a valid certificate',
    },
    hints: {
      disabled: 'only for your own server with a self-signed certificate, and even then trust its CA with tls.ca instead of turning verification off',
      publicProvider: 'remove tls.verify: false',
    },
  },
  check(ctx) {
    const out: Finding[] = [];
    for (const view of ctx.profiles) {
      const p = view.profile;
      if (p.tls?.verify !== false) continue;
      const provider = view.provider?.preset;
      if (provider?.public) {
        out.push({ messageId: 'publicProvider', data: { profile: p.name, provider: provider.name }, pointer: view.pointerOf('tls/verify'), profile: p.name, severity: 'error' });
      } else {
        out.push({ messageId: 'disabled', data: { profile: p.name }, pointer: view.pointerOf('tls/verify'), profile: p.name });
      }
    }
    return out;
  },
};
