import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as api from '../src/index.ts';

const root = join(import.meta.dirname, '..');

describe('programmatic API', () => {
  it('exposes lint, check, send, render, deploy, loadConfig and presets at the package root', () => {
    for (const name of ['lint', 'check', 'send', 'render', 'deploy', 'loadConfig', 'allPresets', 'findPreset']) {
      expect(typeof (api as Record<string, unknown>)[name]).toBe('function');
    }
  });

  it('loadConfig returns the merged profiles of a clean file', async () => {
    const file = await api.loadConfig(join(root, 'examples', 'self-hosted-relay', 'mail.yaml'));
    expect(file.profiles.map((p) => p.name)).toEqual(['production', 'staging']);
    expect(file.profiles[0]).toMatchObject({ host: 'relay.intra.acme.example', port: 587, encryption: 'starttls', from: { address: 'noreply@intra.acme.example' }, tls: { ca: './certs/acme-internal-ca.pem' } });
    expect(String(file.profiles[0]!.auth!.password)).toBe('[redacted]');
    expect(JSON.stringify(file.profiles)).not.toContain('smtp-relay"');
  });

  it('loadConfig refuses a file with errors, naming the first one with its position', async () => {
    await expect(api.loadConfig(join(root, 'examples', 'broken', 'mail.yaml'))).rejects.toMatchObject({ code: 'E_CONFIG', message: expect.stringMatching(/mail\.yaml:7:17: .*port-encryption-mismatch/) });
  });
});
