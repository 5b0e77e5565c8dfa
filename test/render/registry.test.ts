/**
 * Keeps the target list, its modules, golden files and the README table in step (the list is
 * declared once, in src/render/index.ts). To refresh the README table after changing a
 * renderer's metadata: UPDATE_README=1 npx vitest run test/render/registry.test.ts
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RENDERERS, TARGET_IDS } from '../../src/render.ts';

const root = join(import.meta.dirname, '..', '..');
const README = join(root, 'README.md');
const OPEN = '<!-- targets-table -->';
const CLOSE = '<!-- /targets-table -->';
/** SPEC §5: the targets every release must have */
const REQUIRED = [
  'env', 'laravel', 'symfony', 'django', 'rails', 'spring', 'nodemailer', 'ghost', 'mastodon', 'discourse', 'gitea', 'gitlab',
  'grafana', 'keycloak', 'supabase', 'n8n', 'nextcloud', 'authentik', 'sentry', 'plausible', 'wordpress', 'msmtp', 'postfix',
  'swaks', 'perfex', 'manager-io', 'shipturtle', 'share-info',
];

const cell = (s: string) => s.replace(/\|/g, '\\|');

/** The README table, generated from the renderers' metadata. */
function targetsTable(): string {
  const rows = TARGET_IDS.map((id) => {
    const m = RENDERERS[id]!.meta;
    const status = m.status === 'verified' ? '' : ` (${m.status})`;
    const versions = m.versions.map((v) => `${v.range}: ${v.reads}`).join('; ');
    return `| \`${id}\` | ${cell(m.title)}${status} | ${cell(m.writes)} | ${cell(m.cannotExpress.join('; ')) || '—'} | ${cell(versions) || '—'} |`;
  });
  return [
    '| target | app | writes | cannot express (warned when a profile uses it) | versions that read it differently (`--target-version`) |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

describe('render target registry', () => {
  it('has every target SPEC §5 names, each id matching its module file', () => {
    expect([...TARGET_IDS].sort()).toEqual([...REQUIRED].sort());
    for (const id of TARGET_IDS) {
      expect(RENDERERS[id]!.meta.id).toBe(id);
      expect(existsSync(join(root, 'src', 'render', `${id}.ts`))).toBe(true);
    }
  });

  it('every target has a golden file', () => {
    for (const id of TARGET_IDS) expect(existsSync(join(import.meta.dirname, '__golden__', `${id}.txt`)), id).toBe(true);
  });

  it('the unverified payloads say so', () => {
    for (const id of ['shipturtle', 'share-info']) expect(RENDERERS[id]!.meta.status).toBe('unverified');
  });

  it('the README targets table matches the registry', () => {
    const text = readFileSync(README, 'utf8');
    const start = text.indexOf(OPEN);
    const end = text.indexOf(CLOSE);
    expect(start, `README.md needs ${OPEN} … ${CLOSE}`).toBeGreaterThan(-1);
    const current = text.slice(start + OPEN.length, end).trim();
    const wanted = targetsTable();
    if (process.env.UPDATE_README && current !== wanted) {
      writeFileSync(README, `${text.slice(0, start + OPEN.length)}\n${wanted}\n${text.slice(end)}`);
      return;
    }
    expect(current, 'README targets table is stale: run UPDATE_README=1 npx vitest run test/render/registry.test.ts').toBe(wanted);
    for (const id of TARGET_IDS) expect(current).toContain(`| \`${id}\` |`);
  });
});
