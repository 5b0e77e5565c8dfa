import type { Finding, Rule } from '../types.ts';

export const rule: Rule = {
  meta: {
    id: 'weak-tls-version',
    severity: 'warning',
    description: '`tls.minVersion` allows a TLS version below 1.2.',
    rationale: 'TLS 1.0 and 1.1 are deprecated (RFC 8996) and refused by current providers and OpenSSL defaults.',
    fix: 'Set `tls.minVersion: TLSv1.2` or remove it (the default is TLSv1.2).',
    example: { bad: 'tls: { minVersion: TLSv1 }', good: 'tls: { minVersion: TLSv1.2 }' },
    messages: { weak: 'tls.minVersion {{version}} allows deprecated TLS versions (RFC 8996)' },
    hints: { weak: 'use TLSv1.2 or TLSv1.3' },
    fixable: true,
  },
  check(ctx) {
    const out: Finding[] = [];
    for (const view of ctx.profiles) {
      const v = view.profile.tls?.minVersion;
      if (v !== 'TLSv1' && v !== 'TLSv1.1') continue;
      out.push({
        messageId: 'weak',
        data: { version: v },
        pointer: view.pointerOf('tls/minVersion'),
        profile: view.profile.name,
        ...(view.isUserSet('tls/minVersion') ? { fix: { value: 'TLSv1.2' } } : {}),
      });
    }
    return out;
  },
};
