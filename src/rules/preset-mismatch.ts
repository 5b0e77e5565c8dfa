import { endpointsForHost } from '../presets/index.ts';
import type { Finding, Preset, PresetEndpoint, Rule } from '../types.ts';

const list = (endpoints: readonly PresetEndpoint[]): string =>
  endpoints.map((e) => `${e.host}:${e.port}/${e.encryption}`).join(', ');

function origin(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

const unique = (xs: readonly (string | number)[]): string => [...new Set(xs)].join(', ');

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
        out.push({ messageId: 'host', data: { ...base, host: p.host, hosts: unique(preset.endpoints.map((e) => e.host)) }, pointer: view.pointerOf('host'), profile: p.name });
        continue;
      }
      if (p.port === undefined) continue;
      const onPort = forHost.filter((e) => e.port === p.port);
      if (onPort.length === 0) {
        out.push({ messageId: 'port', data: { ...base, host: p.host, port: p.port, ports: unique(forHost.map((e) => e.port)), endpoints: list(forHost) }, pointer: view.pointerOf('port'), profile: p.name });
        continue;
      }
      if (p.encryption !== undefined && !onPort.some((e) => e.encryption === p.encryption)) {
        out.push({
          messageId: 'encryption',
          data: { ...base, host: p.host, port: p.port, encryption: p.encryption, expected: unique(onPort.map((e) => e.encryption)) },
          pointer: view.pointerOf('encryption'),
          profile: p.name,
        });
      }
    }
    return out;
  },
};
