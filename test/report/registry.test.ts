import { SPEC_FORMATS } from '../helpers/spec.ts';
import { describe, expect, it } from 'vitest';
import { FORMATS, REPORTERS } from '../../src/report/index.ts';
import type { Report } from '../../src/types.ts';
import { LITERAL_SECRET, options, report } from './fixture.ts';

const empty: Report = { ...report, files: [], summary: { errors: 0, warnings: 0, infos: 0, checks: { pass: 0, warn: 0, fail: 0, skip: 0 } } };

describe('reporter registry', () => {
  it('lists every format of SPEC §2 once, stylish (the default) first', () => {
    expect(FORMATS).toEqual(Object.keys(REPORTERS));
    expect([...FORMATS].sort()).toEqual([...SPEC_FORMATS].sort());
    expect(FORMATS[0]).toBe('stylish');
  });

  for (const format of FORMATS) {
    describe(format, () => {
      const reporter = REPORTERS[format];

      it('never prints the literal secret of the source, nor a raw ESC', () => {
        for (const quiet of [false, true]) {
          const out = reporter(report, options({ quiet }));
          expect(out).not.toContain(LITERAL_SECRET);
          expect(out).not.toContain('\u001b');
        }
      });

      it('is pure: same input, same output, input untouched', () => {
        const before = JSON.stringify(report);
        expect(reporter(report, options())).toBe(reporter(report, options()));
        expect(JSON.stringify(report)).toBe(before);
      });

      it('handles a report without files', () => {
        expect(typeof reporter(empty, options())).toBe('string');
      });
    });
  }
});
