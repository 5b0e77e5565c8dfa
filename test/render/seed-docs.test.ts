// Every field label of the four seed apps, in every guide language, as the renderers declare them
// (the one place the labels live: MANAGER_IO_LABELS, PERFEX_FIELDS, SHIPTURTLE_LABELS,
// SHARE_INFO_LABELS), appears in that app's guides in that language and in its table in
// docs/seed-apps.md; and the seed apps' render warnings carry the message ids the docs list.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isMailcheckError } from '../../src/errors.ts';
import { render } from '../../src/render.ts';
import { GUIDE_LANGS, renderGuide, type GuideLang, type Texts } from '../../src/render/guide/index.ts';
import { MANAGER_IO_LABELS } from '../../src/render/manager-io.ts';
import { PERFEX_FIELDS } from '../../src/render/perfex.ts';
import { SHARE_INFO_LABELS } from '../../src/render/share-info.ts';
import { SHIPTURTLE_LABELS } from '../../src/render/shipturtle.ts';
import type { Profile } from '../../src/types.ts';
import { SEED_PROFILES } from './seed-profiles.ts';

const DOCS = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'seed-apps.md'), 'utf8');

/** The docs section of an app: from its heading to the next `## `. */
function section(heading: string): string {
  const start = DOCS.indexOf(`## ${heading}`);
  expect(start, `docs/seed-apps.md has a section "## ${heading}"`).toBeGreaterThanOrEqual(0);
  const next = DOCS.indexOf('\n## ', start + 3);
  return DOCS.slice(start, next < 0 ? undefined : next);
}

const perfexTexts: Record<string, Texts> = Object.fromEntries(Object.entries(PERFEX_FIELDS).map(([k, l]) => [k, { en: l.en, ja: l.ja, it: l.en }]));

const APPS: ReadonlyArray<{ app: string; heading: string; labels: Record<string, Texts> }> = [
  { app: 'manager-io', heading: 'Manager.io', labels: MANAGER_IO_LABELS },
  { app: 'perfex', heading: 'Djaboo / Perfex CRM', labels: perfexTexts },
  { app: 'shipturtle', heading: 'Shipturtle', labels: SHIPTURTLE_LABELS },
  { app: 'share-info', heading: 'SHARE info', labels: SHARE_INFO_LABELS },
];

/** Every guide of an app in one language, over the seed profiles (SMTP, HTTP, sendmail cases). */
function guides(app: string, lang: GuideLang): string {
  const out: string[] = [];
  for (const profile of Object.values(SEED_PROFILES)) {
    try {
      out.push(renderGuide(profile, app, lang).text);
    } catch (err) {
      if (!isMailcheckError(err) || err.code !== 'E_RENDER_TRANSPORT') throw err;
    }
  }
  return out.join('\n');
}

describe('seed app labels: in the guides of each language and in docs/seed-apps.md', () => {
  for (const { app, heading, labels } of APPS) {
    for (const lang of GUIDE_LANGS) {
      it(`${app} ${lang}`, () => {
        const text = guides(app, lang);
        const doc = section(heading);
        const missingGuide = Object.entries(labels).filter(([, l]) => !text.includes(l[lang])).map(([k]) => k);
        const missingDoc = Object.entries(labels).filter(([, l]) => !doc.includes(l[lang])).map(([k]) => k);
        expect({ missingGuide, missingDoc }).toEqual({ missingGuide: [], missingDoc: [] });
      });
    }
  }

  it('every Perfex option name is in the Perfex table', () => {
    const doc = section('Djaboo / Perfex CRM');
    expect(Object.keys(PERFEX_FIELDS).filter((o) => !doc.includes(`\`${o}\``))).toEqual([]);
  });
});

const base = SEED_PROFILES['ssl-465']!;
const ids = (profile: Profile, target: string): string[] => render(profile, target, { secrets: 'ref' }).warnings.map((w) => w.messageId ?? '');

describe('seed app render warnings (ids listed in docs/seed-apps.md)', () => {
  const cases: ReadonlyArray<[string, string, Profile, boolean]> = [
    ['manager-io', 'port-25-unencrypted', SEED_PROFILES['none-25']!, true],
    ['manager-io', 'port-25-unencrypted', base, false],
    ['manager-io', 'no-verify-own-server-only', { ...base, tls: { verify: false } }, true],
    ['manager-io', 'no-verify-own-server-only', base, false],
    ['manager-io', 'port-decides-tls', { ...base, port: 587 }, true],
    ['manager-io', 'one-copy-address', SEED_PROFILES['starttls-587']!, true],
    ['perfex', 'encryption-port-mix', { ...base, port: 587 }, true],
    ['perfex', 'encryption-port-mix', { ...base, encryption: 'starttls', port: 465 }, true],
    ['perfex', 'encryption-port-mix', base, false],
    ['perfex', 'encryption-port-mix', SEED_PROFILES['starttls-587']!, false],
    ['shipturtle', 'none-not-offered', SEED_PROFILES['none-25']!, true],
    ['shipturtle', 'encryption-port-rule', { ...base, port: 587 }, true],
    ['shipturtle', 'encryption-port-rule', SEED_PROFILES.m365!, false],
    ['share-info', 'smtp-auth-off', { ...base, port: 587, encryption: 'starttls', auth: { method: 'none' } }, true],
    ['share-info', 'smtp-auth-off', SEED_PROFILES['none-25']!, false],
    ['share-info', 'smtp-auth-off', base, false],
  ];
  it.each(cases.map((c) => [`${c[0]} ${c[1]} ${c[3] ? 'fires' : 'stays quiet'}`, ...c] as const))('%s', (_, target, id, profile, fires) => {
    expect(ids(profile, target).includes(id)).toBe(fires);
    if (fires) expect(DOCS).toContain(`\`${id}\``);
  });
});
