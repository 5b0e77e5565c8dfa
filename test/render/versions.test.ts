import { describe, expect, it } from 'vitest';
import { isMailcheckError } from '../../src/errors.ts';
import { render, RENDERERS } from '../../src/render.ts';
import type { Profile } from '../../src/types.ts';
import { PROFILES, SPECIAL_PASSWORD } from './profiles.ts';

const lines = (content: string): Record<string, string> =>
  Object.fromEntries(content.split('\n').filter((l) => /^[A-Z_]+=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
const file = (p: Profile, target: string, version?: string, secrets: 'ref' | 'inline' = 'ref') =>
  render(p, target, { secrets, reveal: () => SPECIAL_PASSWORD, ...(version ? { version } : {}) });
const settings = (w: { setting: string }[]) => w.map((x) => x.setting);

describe('render versions (SPEC §9)', () => {
  it('every renderer declares its versions in its metadata', () => {
    for (const id of ['mastodon', 'laravel', 'symfony']) expect(RENDERERS[id]!.meta.versions.length, id).toBeGreaterThan(0);
  });

  it('a version that is not a number is refused', () => {
    try {
      file(PROFILES.ssl!, 'mastodon', 'latest');
      expect.unreachable();
    } catch (err) {
      expect(isMailcheckError(err) && err.code).toBe('E_RENDER_VERSION');
    }
  });

  describe('mastodon: config/email.yml (4.4+) vs the variables read directly (< 4.4)', () => {
    const special = PROFILES.special!;
    it('a simple From name is written unquoted: the same on every version, no warning', () => {
      for (const v of [undefined, '4.3', '4.4']) {
        const out = file(PROFILES.ssl!, 'mastodon', v);
        expect(lines(out.files[0]!.content).SMTP_FROM_ADDRESS).toBe("'Acme Billing <billing@acme.example>'");
        expect(settings(out.warnings)).not.toContain('from.name');
      }
    });
    it('a From name that needs quotes: YAML-quoted for 4.4+, as is for 4.3, a warning without a version', () => {
      const none = file(special, 'mastodon');
      const v44 = file(special, 'mastodon', '4.4.2');
      const v43 = file(special, 'mastodon', '4.3');
      expect(settings(none.warnings)).toContain('from.name');
      expect(settings(v44.warnings)).not.toContain('from.name');
      expect(settings(v43.warnings)).not.toContain('from.name');
      expect(lines(v44.files[0]!.content).SMTP_FROM_ADDRESS).toBe(lines(none.files[0]!.content).SMTP_FROM_ADDRESS);
      expect(lines(v43.files[0]!.content).SMTP_FROM_ADDRESS).toMatch(/^'"Zoë/);
    });
  });

  describe('laravel: MAIL_ENCRYPTION=tls is implicit TLS in 9.0.0–9.0.2 and 11.35.0', () => {
    it('STARTTLS is written as MAIL_ENCRYPTION=null on every version from 9', () => {
      for (const v of [undefined, '9.0.0', '9.52', '11.35.0', '11.35.1', '12.0']) {
        expect(lines(file(PROFILES.starttls!, 'laravel', v).files[0]!.content).MAIL_ENCRYPTION, v).toBe('null');
      }
      expect(lines(file(PROFILES.starttls!, 'laravel', '8.83').files[0]!.content).MAIL_ENCRYPTION).toBe('tls');
    });
    it('implicit TLS on another port than 465: `tls` where it means smtps, a warning where no variable says it', () => {
      const p: Profile = { ...PROFILES.ssl!, port: 2465 };
      expect(lines(file(p, 'laravel', '11.35.0').files[0]!.content).MAIL_ENCRYPTION).toBe('tls');
      expect(file(p, 'laravel', '11.35.0').warnings.filter((w) => w.setting === 'encryption')).toEqual([]);
      expect(file(p, 'laravel', '11.20').warnings.some((w) => w.setting === 'encryption')).toBe(true);
      expect(file(p, 'laravel', '11.36').warnings.filter((w) => w.setting === 'encryption')).toEqual([]);
    });
  });

  describe('symfony: auto_tls (7.1+) and require_tls (7.3+) are warnings naming the versions', () => {
    it('require_tls', () => {
      expect(settings(file(PROFILES.starttls!, 'symfony').warnings)).toContain('encryption');
      expect(settings(file(PROFILES.starttls!, 'symfony', '7.2').warnings)).toContain('encryption');
      expect(settings(file(PROFILES.starttls!, 'symfony', '7.3').warnings)).not.toContain('encryption');
    });
    it('auto_tls', () => {
      expect(settings(file(PROFILES.none!, 'symfony', '7.0').warnings)).toContain('encryption');
      expect(settings(file(PROFILES.none!, 'symfony', '7.1').warnings)).not.toContain('encryption');
    });
  });

  it('keycloak: a plain ${ENV} placeholder (realm import resolves it), not ${vault.…}', () => {
    const json = JSON.parse(file(PROFILES.ssl!, 'keycloak').files[0]!.content) as { smtpServer: Record<string, string> };
    expect(json.smtpServer.password).toBe('${SMTP_PASSWORD}');
  });

  it('sentry: timeouts become mail.timeout (whole seconds)', () => {
    const p: Profile = { ...PROFILES.ssl!, timeouts: { command: 7500 } };
    expect(file(p, 'sentry').files[0]!.content).toContain('mail.timeout: 8');
  });

  it('tls.ca is written absolute, resolved from baseDir, with a warning; relative without one', () => {
    const withBase = render(PROFILES.starttls!, 'gitlab', { secrets: 'ref', baseDir: '/srv/mail' });
    expect(withBase.files[0]!.content).toContain('/srv/mail/certs/ca.pem');
    expect(withBase.warnings.find((w) => w.setting === 'tls.ca')?.message).toContain('/srv/mail/certs/ca.pem');
    expect(render(PROFILES.starttls!, 'gitlab', { secrets: 'ref' }).warnings.some((w) => w.setting === 'tls.ca')).toBe(true);
  });

  it('targets that drop auth.method say so', () => {
    expect(settings(file(PROFILES.ssl!, 'django').warnings)).toContain('auth.method');
    expect(settings(file(PROFILES.ssl!, 'gitlab').warnings)).not.toContain('auth.method');
    expect(file(PROFILES.ssl!, 'spring').files[0]!.content).toContain('mail.smtp.auth.mechanisms=LOGIN');
  });
});
