import { describe, expect, it } from 'vitest';
import { Secret } from '../../src/config/secret.ts';
import { render } from '../../src/render.ts';
import type { Encryption, Profile } from '../../src/types.ts';

function profile(port: number, encryption: Encryption, extra: Partial<Profile> = {}): Profile {
  return {
    name: 'p',
    transport: 'smtp',
    host: 'smtp.example.com',
    port,
    encryption,
    auth: { method: 'login', username: 'u@example.com', password: new Secret({ kind: 'env', name: 'SMTP_PASSWORD' }) },
    from: { address: 'u@example.com' },
    bcc: [],
    ...extra,
  };
}

const settingsWarned = (target: string, p: Profile) => render(p, target).warnings.map((w) => w.setting);

describe('targets whose TLS mode depends on the port', () => {
  it.each([
    ['grafana', 2465, 'ssl'],
    ['grafana', 465, 'starttls'],
    ['grafana', 465, 'none'],
    ['supabase', 587, 'ssl'],
    ['supabase', 465, 'starttls'],
    ['symfony', 465, 'starttls'],
    ['laravel', 465, 'none'],
    ['laravel', 2465, 'ssl'],
    ['nextcloud', 465, 'starttls'],
  ] as const)('%s: port %i with encryption %s is a warning on encryption', (target, port, enc) => {
    expect(settingsWarned(target, profile(port, enc))).toContain('encryption');
  });

  it.each([
    ['grafana', 465, 'ssl'],
    ['grafana', 587, 'starttls'],
    ['supabase', 465, 'ssl'],
    ['symfony', 2465, 'ssl'],
    ['nodemailer', 465, 'starttls'],
    ['nodemailer', 2465, 'ssl'],
    ['n8n', 587, 'ssl'],
  ] as const)('%s: port %i with encryption %s renders without an encryption warning', (target, port, enc) => {
    expect(settingsWarned(target, profile(port, enc))).not.toContain('encryption');
  });

  it('nodemailer always states secure, so port 465 never decides', () => {
    const text = render(profile(465, 'starttls'), 'nodemailer').files[0]!.content;
    expect(text).toContain('secure: false');
    expect(text).toContain('requireTLS: true');
  });

  it('grafana puts host and port in one value and picks the STARTTLS policy', () => {
    const text = render(profile(587, 'starttls'), 'grafana').files[0]!.content;
    expect(text).toMatch(/^GF_SMTP_HOST=smtp\.example\.com:587$/m);
    expect(text).toMatch(/^GF_SMTP_STARTTLS_POLICY=MandatoryStartTLS$/m);
  });

  it('symfony uses smtps:// for implicit TLS on any port and an explicit port always', () => {
    expect(render(profile(2465, 'ssl'), 'symfony').files[0]!.content).toContain('smtps://u%40example.com:${SMTP_PASSWORD}@smtp.example.com:2465"');
  });
});

describe('mutually exclusive flags: exactly one is on', () => {
  it.each(['django', 'authentik', 'sentry'])('%s', (target) => {
    for (const enc of ['ssl', 'starttls', 'none'] as const) {
      const text = render(profile(enc === 'ssl' ? 465 : 587, enc), target).files[0]!.content;
      const on = (text.match(/(USE_TLS|USE_SSL|use-tls|use-ssl)\W+(True|true)\b/g) ?? []).length;
      expect(on).toBe(enc === 'none' ? 0 : 1);
    }
  });

  it('rails: implicit TLS turns both STARTTLS flags off', () => {
    const text = render(profile(465, 'ssl'), 'rails').files[0]!.content;
    expect(text).toContain('tls: true');
    expect(text).toContain('enable_starttls: false');
    expect(text).toContain('enable_starttls_auto: false');
  });
});

describe('transports', () => {
  const http: Profile = { name: 'h', transport: 'http', http: { url: 'https://mail.example.net/send', replyTo: 'r@example.com' }, bcc: [] };

  it('a target without the transport refuses with E_RENDER_TRANSPORT', () => {
    expect(() => render(http, 'laravel')).toThrow(expect.objectContaining({ code: 'E_RENDER_TRANSPORT' }));
    expect(() => render({ ...http, transport: 'sendmail', sendmail: { path: '/usr/sbin/sendmail' } }, 'env')).toThrow(
      expect.objectContaining({ code: 'E_RENDER_TRANSPORT' }),
    );
  });

  it('manager-io renders the HTTP protocol', () => {
    const form = JSON.parse(render(http, 'manager-io').files[0]!.content) as Record<string, string>;
    expect(form).toEqual({ Protocol: 'HTTP', 'HTTP Server': 'https://mail.example.net/send', 'Reply to': 'r@example.com' });
  });
});

describe('secrets', () => {
  it('inline without a reveal function is E_RENDER_SECRETS', () => {
    expect(() => render(profile(587, 'starttls'), 'env', { secrets: 'inline' })).toThrow(expect.objectContaining({ code: 'E_RENDER_SECRETS' }));
  });

  it('a literal secret is never written in ref mode: placeholder plus a warning', () => {
    const p = profile(587, 'starttls', {
      auth: { method: 'login', username: 'u@example.com', password: new Secret({ kind: 'literal' }, 'hunter2') },
    });
    const out = render(p, 'laravel');
    expect(out.files[0]!.content).not.toContain('hunter2');
    expect(out.files[0]!.content).toContain('MAIL_PASSWORD=CHANGE_ME_SMTP_PASSWORD');
    expect(out.warnings.map((w) => w.setting)).toContain('auth.password');
  });

  it('perfex never writes the SMTP password, even inline', () => {
    const out = render(profile(587, 'starttls'), 'perfex', { secrets: 'inline', reveal: () => 'hunter2' });
    expect(out.files[0]!.content).not.toContain('hunter2');
    expect(out.warnings.map((w) => w.setting)).toContain('auth.password');
  });
});
