import { endpointHostMatches } from '../presets/index.ts';
import type { Encryption, Finding, Preset, Rule } from '../types.ts';

/** The encryption each standard port implies (RFC 8314: 465 implicit TLS, 587 STARTTLS, 25 relay). */
const EXPECTED: Record<number, Encryption[]> = { 465: ['ssl'], 587: ['starttls', 'none'], 25: ['starttls', 'none'] };
/** What `lint --fix` sets where the port alone says what was meant. */
const FIX_FOR_PORT: Record<number, Encryption> = { 465: 'ssl', 587: 'starttls' };

/** Whether the provider publishes this exact endpoint (some serve SSL on 587, and that is real). */
export function presetListsEndpoint(preset: Preset | undefined, host: string | undefined, port: number, encryption: Encryption): boolean {
  return Boolean(
    preset?.endpoints.some((e) => e.port === port && e.encryption === encryption && (host === undefined || endpointHostMatches(preset, e.host, host))),
  );
}

export const rule: Rule = {
  meta: {
    id: 'port-encryption-mismatch',
    severity: 'error',
    description: 'The port and the encryption do not go together: 465 without `ssl`, 587 or 25 with `ssl`.',
    rationale: 'Port 465 speaks TLS from the first byte and 587 upgrades with STARTTLS (RFC 8314); mixing them up ends in a hang or "wrong version number" at connect time.',
    fix: 'Use `port: 465` with `encryption: ssl`, or `port: 587` with `encryption: starttls`.',
    example: { bad: 'port: 587\nencryption: ssl', good: 'port: 587\nencryption: starttls' },
    messages: {
      mismatch: 'port {{port}} expects {{expected}}, but encryption is {{encryption}}',
      presetAvailable: 'port {{port}} expects {{expected}}, but encryption is {{encryption}}',
    },
    hints: {
      mismatch: 'use 465 with ssl, or 587 with starttls',
      presetAvailable: '{{provider}} publishes this endpoint: add `preset: {{preset}}` to accept it',
    },
    fixable: true,
  },
  check(ctx) {
    const out: Finding[] = [];
    for (const view of ctx.profiles) {
      const p = view.profile;
      if (p.transport !== 'smtp' || p.port === undefined || p.encryption === undefined) continue;
      const expected = EXPECTED[p.port];
      if (!expected || expected.includes(p.encryption)) continue;
      // only the profile's own `preset:` vouches for an unusual endpoint; a host recognised
      // without one gets the preset suggested instead
      const provider = view.provider;
      const listed = presetListsEndpoint(provider?.preset, p.host, p.port, p.encryption);
      if (listed && provider?.via === 'preset') continue;
      // point at whichever of the two the user wrote last in the profile
      const pointer = view.isUserSet('encryption') ? view.pointerOf('encryption') : view.pointerOf('port');
      // the fix: the one encryption the port allows with a login (465 → ssl, 587 → starttls);
      // on port 25 the intent (relay or submission) is not clear, and a provider's own odd
      // endpoint is accepted by naming the preset, not by changing the setting
      const intended = FIX_FOR_PORT[p.port];
      const fix = !listed && intended && view.isUserSet('encryption') ? { fix: { value: intended } } : {};
      out.push({
        ...fix,
        messageId: listed && provider ? 'presetAvailable' : 'mismatch',
        data: { port: p.port, expected: expected.join(' or '), encryption: p.encryption, ...(provider ? { provider: provider.preset.name, preset: provider.preset.id } : {}) },
        pointer,
        profile: p.name,
      });
    }
    return out;
  },
};
