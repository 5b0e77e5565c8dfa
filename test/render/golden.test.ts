import { describe, expect, it } from 'vitest';
import { isMailcheckError } from '../../src/errors.ts';
import { render, TARGET_IDS } from '../../src/render.ts';
import { CASES, PROFILES, SPECIAL_PASSWORD } from './profiles.ts';

/** Every case of one target as one reviewable text: files, warnings (or the error), in order. */
function goldenText(target: string): string {
  const out: string[] = [`# golden renders of target "${target}" (test/render/profiles.ts)`];
  for (const c of CASES) {
    out.push('', `## ${c.profile} (--secrets ${c.secrets})`);
    try {
      const r = render(PROFILES[c.profile]!, target, { secrets: c.secrets, reveal: () => SPECIAL_PASSWORD, baseDir: '/srv/app' });
      for (const f of r.files) out.push(`### file ${f.name}`, f.content.replace(/\n$/, ''));
      out.push('### warnings', ...(r.warnings.length ? r.warnings.map((w) => `- [${w.setting}] ${w.message}`) : ['(none)']));
    } catch (err) {
      if (!isMailcheckError(err)) throw err;
      out.push(`### error ${err.code}: ${err.message}`);
    }
  }
  return `${out.join('\n')}\n`;
}

describe('golden renders', () => {
  for (const id of TARGET_IDS) {
    it(id, async () => {
      await expect(goldenText(id)).toMatchFileSnapshot(`./__golden__/${id}.txt`);
    });
  }
});

describe('render invariants', () => {
  for (const id of TARGET_IDS) {
    it(`${id}: --secrets ref never writes a secret value; output is deterministic`, () => {
      for (const c of CASES) {
        const reveal = () => SPECIAL_PASSWORD;
        const a = render(PROFILES[c.profile]!, id, { secrets: 'ref', reveal });
        const b = render(PROFILES[c.profile]!, id, { secrets: 'ref', reveal });
        expect(a).toEqual(b);
        for (const f of a.files) expect(f.content).not.toContain('r%d #1');
        for (const w of a.warnings) expect(w.target).toBe(id);
      }
    });
  }
});
