import { cpSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allPresets, detectByDomain, detectByMx, detectProvider, findPreset, listsEndpoint } from '../../src/presets/index.ts';
import { presetDefaults } from '../../src/presets/merge.ts';

const ROOT = join(import.meta.dirname, '..', '..');

describe('the preset set', () => {
  it('has at least 45 presets, including the ones the issue names', () => {
    const ids = allPresets().map((p) => p.id);
    expect(ids.length).toBeGreaterThanOrEqual(45);
    for (const id of ['gmail', 'google-workspace', 'yahoo', 'yahoo-japan', 'aol', 'outlook', 'office365', 'icloud', 'zoho', 'fastmail', 'gmx', 'mail-com', 'web-de', 'ionos', 'posteo', 'yandex', 'mail-ru', 'proton', 'sendgrid', 'mailgun', 'amazon-ses', 'postmark', 'brevo', 'mailjet', 'sparkpost', 'resend', 'mailersend', 'smtp2go', 'elastic-email', 'mandrill', 'qq', 'netease-163', 'netease-126', 'naver', 'ocn', 'biglobe', 'nifty', 'so-net', 'softbank', 'iijmio', 'manager-io']) {
      expect(ids, id).toContain(id);
    }
  });

  it('finds presets by alias, case-insensitively', () => {
    expect(findPreset('Hotmail')?.id).toBe('outlook');
    expect(findPreset('1und1')?.id).toBe('ionos');
    expect(findPreset('SES')?.id).toBe('amazon-ses');
    expect(findPreset('nope')).toBeUndefined();
  });

  it('every endpoint names its source', () => {
    for (const p of allPresets()) {
      p.endpoints.forEach((_, i) => expect(p.provenance.some((s) => s.fact === `endpoints/${i}`), `${p.id} endpoints/${i}`).toBe(true));
    }
  });
});

describe('detection', () => {
  it.each([
    ['smtp.gmail.com', 'gmail'],
    ['SMTP.Office365.com.', 'office365'],
    ['email-smtp.eu-west-1.amazonaws.com', 'amazon-ses'],
    ['smtp.eu.mailgun.org', 'mailgun'],
  ])('host %s → %s', (host, id) => {
    expect(detectProvider(host)?.id).toBe(id);
  });

  it('a templated host matches only its listed values', () => {
    expect(detectProvider('email-smtp.mars-1.amazonaws.com')).toBeUndefined();
    expect(listsEndpoint(findPreset('amazon-ses')!, 'email-smtp.ap-southeast-2.amazonaws.com', 2465, 'ssl')).toBe(true);
  });

  it.each([
    ['aspmx.l.google.com', 'google-workspace'],
    ['alt1.aspmx.l.google.com', 'google-workspace'],
    ['gmail-smtp-in.l.google.com', 'gmail'],
    ['acme-example.mail.protection.outlook.com', 'office365'],
    ['hotmail-com.olc.protection.outlook.com', 'outlook'],
    ['mx01.mail.icloud.com', 'icloud'],
    ['mx-aol.mail.gm0.yahoodns.net', 'aol'],
    ['mta7.am0.yahoodns.net', 'yahoo'],
    ['mx.zoho.eu', 'zoho'],
    ['in1-smtp.messagingengine.com', 'fastmail'],
    ['mxbiz1.qq.com', 'qq-exmail'],
    ['inbound-smtp.us-east-1.amazonaws.com', 'amazon-ses'],
  ])('MX %s → %s', (mx, id) => {
    expect(detectByMx(mx)?.preset.id).toBe(id);
  });

  it('an unknown MX is not a provider', () => {
    expect(detectByMx('mail.acme.example')).toBeUndefined();
  });

  it.each([
    ['gmail.com', 'gmail'],
    ['outlook.de', 'outlook'],
    ['icloud.com', 'icloud'],
    ['web.de', 'web-de'],
    ['yahoo.co.jp', 'yahoo-japan'],
  ])('mail domain %s → %s', (domain, id) => {
    expect(detectByDomain(domain)?.id).toBe(id);
  });
});

describe('presetDefaults', () => {
  it('fills the preferred endpoint and the first auth method', () => {
    expect(presetDefaults(findPreset('gmail')!)).toEqual({ host: 'smtp.gmail.com', port: 465, encryption: 'ssl', auth: { method: 'login' } });
  });

  it('picks the endpoint that fits what the user wrote', () => {
    expect(presetDefaults(findPreset('gmail')!, { port: 587 })).toMatchObject({ port: 587, encryption: 'starttls' });
    expect(presetDefaults(findPreset('zoho')!, { host: 'smtp.zoho.eu' })).toMatchObject({ host: 'smtp.zoho.eu', port: 465, encryption: 'ssl' });
  });

  it('leaves a templated host for the user to choose', () => {
    const d = presetDefaults(findPreset('amazon-ses')!);
    expect(d.host).toBeUndefined();
    expect(d).toMatchObject({ port: 587, encryption: 'starttls' });
  });

  it('an HTTP preset fills the transport and URL', () => {
    expect(presetDefaults(findPreset('manager-io')!)).toEqual({ transport: 'http', http: { url: 'https://email.manager.io' } });
  });
});

describe('scripts/build-presets.mjs', () => {
  async function buildIn(mutate: (dir: string) => void): Promise<unknown> {
    const root = mkdtempSync(join(tmpdir(), 'mailcheck-presets-'));
    try {
      mkdirSync(join(root, 'schema'));
      cpSync(join(ROOT, 'schema', 'preset.schema.json'), join(root, 'schema', 'preset.schema.json'));
      cpSync(join(ROOT, 'presets'), join(root, 'presets'), { recursive: true });
      mutate(join(root, 'presets'));
      const mod = (await import(join(ROOT, 'scripts', 'build-presets.mjs'))) as { default: (root: string) => Promise<{ id: string }[]> };
      const out = await mod.default(root);
      expect(JSON.parse(readFileSync(join(root, 'src', 'generated', 'presets.json'), 'utf8'))).toHaveLength(out.length);
      return out;
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }

  it('writes every preset, sorted by id', async () => {
    const out = (await buildIn(() => {})) as { id: string }[];
    expect(out.map((p) => p.id)).toEqual(allPresets().map((p) => p.id));
  });

  it.each([
    ['an unknown key', (dir: string) => writeFileSync(join(dir, 'gmail.yaml'), `${readFileSync(join(dir, 'gmail.yaml'), 'utf8')}colour: blue\n`), /presets\/gmail\.yaml: .*colour/],
    ['a bad encryption', (dir: string) => writeFileSync(join(dir, 'posteo.yaml'), readFileSync(join(dir, 'posteo.yaml'), 'utf8').replace('encryption: ssl', 'encryption: tls')), /presets\/posteo\.yaml: \/endpoints\/0\/encryption/],
    ['an id that is not the file name', (dir: string) => writeFileSync(join(dir, 'posteo.yaml'), readFileSync(join(dir, 'posteo.yaml'), 'utf8').replace('id: posteo', 'id: posteo-de')), /presets\/posteo\.yaml: id "posteo-de" must match/],
    ['an undeclared placeholder', (dir: string) => writeFileSync(join(dir, 'amazon-ses.yaml'), readFileSync(join(dir, 'amazon-ses.yaml'), 'utf8').replace('region:\n', 'zone:\n')), /presets\/amazon-ses\.yaml: endpoints\/0: placeholder \{region\}/],
    ['an alias taken by another preset', (dir: string) => writeFileSync(join(dir, 'posteo.yaml'), readFileSync(join(dir, 'posteo.yaml'), 'utf8').replace('aliases: [posteo.de]', 'aliases: [hotmail]')), /presets\/posteo\.yaml: name "hotmail" is already used by preset outlook/],
    ['invalid YAML', (dir: string) => writeFileSync(join(dir, 'broken.yaml'), 'id: [\n'), /presets\/broken\.yaml: YAML/],
  ])('fails the build on %s, naming the file', async (_, mutate, message) => {
    await expect(buildIn(mutate)).rejects.toThrow(message);
  });
});

describe('README', () => {
  it('the presets section names every preset', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('<!-- section:presets -->'), readme.indexOf('<!-- /section:presets -->'));
    const missing = allPresets().filter((p) => !section.includes(`\`${p.id}\``)).map((p) => p.id);
    expect(missing).toEqual([]);
    expect(section).toContain(`The built-in presets (${allPresets().length})`);
  });
});
