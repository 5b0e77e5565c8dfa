import { describe, expect, it } from 'vitest';
import { Secret } from '../../src/config/secret.ts';
import { getRenderer, render, TARGET_IDS } from '../../src/render.ts';
import type { Profile } from '../../src/types.ts';

const xoauth2: Profile = {
  name: 'p',
  transport: 'smtp',
  host: 'smtp.office365.com',
  port: 587,
  encryption: 'starttls',
  bcc: [],
  auth: { method: 'xoauth2', user: 'app@example.org', clientId: 'cid', accessToken: new Secret({ kind: 'env', name: 'TOKEN' }) },
};

describe('XOAUTH2 support is declared once per target and drives the warning', () => {
  it('every target declares yes, partial or no with a note', () => {
    for (const id of TARGET_IDS) {
      const { xoauth2 } = getRenderer(id).meta;
      expect(['yes', 'partial', 'no']).toContain(xoauth2.support);
      expect(xoauth2.note.length).toBeGreaterThan(0);
    }
  });

  it('nodemailer, ghost and env render it; msmtp and symfony take an access token', () => {
    expect(getRenderer('nodemailer').meta.xoauth2.support).toBe('yes');
    expect(getRenderer('ghost').meta.xoauth2.support).toBe('yes');
    expect(getRenderer('msmtp').meta.xoauth2.support).toBe('partial');
    expect(getRenderer('symfony').meta.xoauth2.support).toBe('partial');
    for (const id of ['nodemailer', 'ghost', 'msmtp', 'symfony']) {
      const out = render(xoauth2, id, { secrets: 'ref' });
      expect(out.warnings.map((w) => w.messageId)).not.toContain('xoauth2-unsupported');
    }
  });

  it('symfony puts the access token reference in the DSN password; msmtp uses auth xoauth2 + passwordeval', () => {
    expect(render(xoauth2, 'symfony', { secrets: 'ref' }).files[0]!.content).toContain('smtp://app%40example.org:${TOKEN}@smtp.office365.com:587');
    const rc = render(xoauth2, 'msmtp', { secrets: 'ref' }).files[0]!.content;
    expect(rc).toMatch(/^auth xoauth2$/m);
    expect(rc).toMatch(/^passwordeval printenv TOKEN$/m);
  });

  it('a target that cannot: xoauth2-unsupported naming the relay, once', () => {
    for (const id of ['gitlab', 'keycloak', 'nextcloud', 'django', 'laravel']) {
      expect(getRenderer(id).meta.xoauth2.support).toBe('no');
      const ids = render(xoauth2, id, { secrets: 'ref' }).warnings.filter((w) => w.setting === 'auth.method').map((w) => [w.messageId, w.data?.relay]);
      expect(ids).toEqual([['xoauth2-unsupported', 'email-oauth2-proxy']]);
    }
  });
});
