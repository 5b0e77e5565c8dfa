/**
 * `tls.ca` is read once per path in a run: fifty profiles that share one CA file (the usual
 * shape of a multi-tenant mail.yaml) cost one read, and a file that cannot be read gives every
 * profile the same error, in the file's own words (not the resolved path).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tlsSettingsOf } from '../../src/checks/probe.ts';
import type { Profile } from '../../src/types.ts';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const profile = (ca: string): Profile => ({ name: 'p', host: 'smtp.example.org', tls: { ca } }) as Profile;

describe('tls.ca reads in a run', () => {
  it('reads a shared file once: the second profile gets the first read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailcheck-ca-'));
    writeFileSync(join(dir, 'ca.pem'), PEM);
    const files = new Map<string, string | Error>();
    expect(tlsSettingsOf(profile('ca.pem'), dir, files).settings.caPem).toBe(PEM);
    rmSync(join(dir, 'ca.pem'));
    expect(tlsSettingsOf(profile('ca.pem'), dir, files).settings.caPem).toBe(PEM);
    expect(files.size).toBe(1);
    // without the run's map each call reads (the file is gone now)
    expect(tlsSettingsOf(profile('ca.pem'), dir).caError).toMatch(/ca\.pem/);
  });

  it('gives every profile the same error for a file that cannot be read, naming it as written', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailcheck-ca-'));
    const files = new Map<string, string | Error>();
    const first = tlsSettingsOf(profile('missing.pem'), dir, files);
    writeFileSync(join(dir, 'missing.pem'), PEM); // appears later in the run: the run keeps its first answer
    const second = tlsSettingsOf(profile('missing.pem'), dir, files);
    expect(first.caError).toBeDefined();
    expect(second.caError).toBe(first.caError);
    expect(first.caError).toContain('missing.pem');
    expect(first.caError).not.toContain(dir);
    expect(second.settings.caPem).toBeUndefined();
  });
});
