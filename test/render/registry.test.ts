/**
 * Keeps the target list, its modules, golden files and the README table in step (the list is
 * declared once, in src/render/index.ts). The README table: test/docs.test.ts.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RENDERERS, TARGET_IDS } from '../../src/render.ts';
import { SPEC_TARGET_IDS } from '../helpers/spec.ts';

const root = join(import.meta.dirname, '..', '..');

describe('render target registry', () => {
  it('has every target SPEC §5 names, each id matching its module file', () => {
    for (const id of SPEC_TARGET_IDS) expect(TARGET_IDS).toContain(id);
    for (const id of TARGET_IDS) {
      expect(RENDERERS[id]!.meta.id).toBe(id);
      expect(existsSync(join(root, 'src', 'render', `${id}.ts`))).toBe(true);
    }
  });

  it('every target has a golden file', () => {
    for (const id of TARGET_IDS) expect(existsSync(join(import.meta.dirname, '__golden__', `${id}.txt`)), id).toBe(true);
  });

  it('a target that is not verified says what its status rests on (the seed apps included)', () => {
    for (const id of ['perfex', 'manager-io', 'shipturtle', 'share-info']) expect(RENDERERS[id]!.meta.statusNote, id).toBeTruthy();
    for (const id of TARGET_IDS) if (RENDERERS[id]!.meta.status === 'derived') expect(RENDERERS[id]!.meta.statusNote ?? RENDERERS[id]!.meta.writes, id).toBeTruthy();
  });

});
