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

  it('the unverified payloads say so', () => {
    for (const id of ['shipturtle', 'share-info']) expect(RENDERERS[id]!.meta.status).toBe('unverified');
  });

});
