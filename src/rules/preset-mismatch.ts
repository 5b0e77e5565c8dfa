import { distance } from '../config/schema-keys.ts';
import { endpointsForHost } from '../presets/index.ts';
import type { Finding, Preset, PresetEndpoint, ProfileView, Rule } from '../types.ts';

const list = (endpoints: readonly PresetEndpoint[]): string =>
  endpoints.map((e) => `${e.host}:${e.port}/${e.encryption}`).join(', ');

function origin(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

const distinct = <T>(xs: readonly T[]): T[] => [...new Set(xs)];
const unique = (xs: readonly (string | number)[]): string => distinct(xs).join(', ');

/**
 * `lint --fix`: when the provider publishes exactly one value for the field (its only host, the
 * only port on this host, the only encryption on this port) and the user wrote the field, that
 * value is the fix, when an endpoint it comes from is cited; with a choice, the user picks.
 */
function fixTo(view: ProfileView, field: string, values: readonly (string | number)[], preset: Preset, from: readonly PresetEndpoint[]): { fix?: { value: string | number } } {
  return values.length === 1 && view.isUserSet(field) && cited(preset, from) ? { fix: { value: values[0]! } } : {};
}

/**
 * A fix is only as good as the endpoints it is drawn from: it is offered when at least one of
 * them is cited, never on `ref: unverified` endpoints alone (the preset's sources are read only
 * here, when there is something to fix).
 */
function cited(preset: Preset, from: readonly PresetEndpoint[]): boolean {
  const facts = new Set(from.map((e) => `endpoints/${preset.endpoints.indexOf(e)}`));
  return preset.provenance.some((s) => facts.has(s.fact) && s.ref !== 'unverified');
}

/**
 * A host is replaced only when it is a slip of the provider's one host: at most two edits
 * (`smtp.gmial.com`) or the same name under another top-level domain (`smtp.sendgrid.com` for
 * `.net`). A different provider's host (`smtp.office365.com` under `preset: gmail`) may mean the
 * preset is the mistake, so it is left to the user.
 */
function isSlipOf(written: string, host: string): boolean {
  const a = written.toLowerCase().replace(/\.$/, '');
  const b = host.toLowerCase();
  const stem = (h: string): string => h.slice(0, Math.max(0, h.lastIndexOf('.')));
  return (Math.abs(a.length - b.length) <= 2 && distance(a, b) <= 2) || (stem(a) !== '' && stem(a) === stem(b));
}

export const rule: Rule = {
  meta: {
    id: 'preset-mismatch',
    severity: 'warning',
    description: 'The host, port or encryption is not one of the endpoints the provider publishes.',
    rationale:
      'A preset lists the submission endpoints the provider documents; a value outside them is usually a typo or a setting copied from another provider, and ends in a timeout or a TLS error at send time.',
    fix: 'Use one of the endpoints `mailcheck presets ID` lists, or drop `preset:` for a server of your own.',
    example: {
      bad: 'preset: gmail\nhost: smtp.gmail.com\nport: 25\nencryption: starttls',
      good: 'preset: gmail\nhost: smtp.gmail.com\nport: 465\nencryption: ssl',
    },
    messages: {
      host: '{{host}} is not a host of {{provider}} (it publishes {{hosts}})',
      port: '{{provider}} does not publish port {{port}} on {{host}} (it publishes {{ports}})',
      encryption: '{{provider}} publishes port {{port}} on {{host}} with {{expected}}, not {{encryption}}',
      transport: '{{provider}} is reached over {{expected}}, but transport is {{transport}}',
      url: '{{url}} is not the URL of {{provider}} ({{expected}})',
    },
    hints: {
      host: 'run `mailcheck presets {{preset}}` for its endpoints',
      port: 'run `mailcheck presets {{preset}}` for its endpoints',
      encryption: 'set encryption: {{expected}}',
      transport: 'set transport: {{expected}}',
      url: 'set http.url: {{expected}}',
    },
    fixable: true,
  },
  check(ctx) {
    const out: Finding[] = [];
    for (const view of ctx.profiles) {
      const match = view.provider;
      if (!match) continue;
      const p = view.profile;
      const preset: Preset = match.preset;
      const base = { provider: preset.name, preset: preset.id };
      const expectedTransport = preset.transport ?? 'smtp';
      if (p.transport !== expectedTransport) {
        out.push({ messageId: 'transport', data: { ...base, expected: expectedTransport, transport: p.transport }, pointer: view.pointerOf('transport'), profile: p.name });
        continue;
      }
      if (expectedTransport === 'http') {
        const want = preset.http?.url;
        if (want && p.http?.url && origin(p.http.url) !== origin(want)) {
          out.push({ messageId: 'url', data: { ...base, url: p.http.url, expected: want }, pointer: view.pointerOf('http/url'), profile: p.name });
        }
        continue;
      }
      if (!p.host || p.host.includes('${')) continue;
      const forHost = endpointsForHost(preset, p.host);
      if (forHost.length === 0) {
        const hosts = distinct(preset.endpoints.map((e) => e.host));
        const fix = hosts.length === 1 && isSlipOf(p.host, hosts[0]!) ? fixTo(view, 'host', hosts, preset, preset.endpoints) : {};
        out.push({ messageId: 'host', data: { ...base, host: p.host, hosts: hosts.join(', ') }, pointer: view.pointerOf('host'), profile: p.name, ...fix });
        continue;
      }
      if (p.port === undefined) continue;
      const onPort = forHost.filter((e) => e.port === p.port);
      if (onPort.length === 0) {
        const ports = distinct(forHost.map((e) => e.port));
        out.push({ messageId: 'port', data: { ...base, host: p.host, port: p.port, ports: ports.join(', '), endpoints: list(forHost) }, pointer: view.pointerOf('port'), profile: p.name, ...fixTo(view, 'port', ports, preset, forHost) });
        continue;
      }
      if (p.encryption !== undefined && !onPort.some((e) => e.encryption === p.encryption)) {
        const expected = distinct(onPort.map((e) => e.encryption));
        out.push({
          messageId: 'encryption',
          data: { ...base, host: p.host, port: p.port, encryption: p.encryption, expected: expected.join(', ') },
          pointer: view.pointerOf('encryption'),
          profile: p.name,
          ...fixTo(view, 'encryption', expected, preset, onPort),
        });
      }
    }
    return out;
  },
};
