import { describe, expect, it } from 'vitest';
import { durationViolations, MAX_DURATION_MS, parseDuration, readDuration } from '../../src/config/duration.ts';

describe('durations: 1 ms … 24 h', () => {
  it.each([
    ['500ms', 500],
    ['10s', 10_000],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['24h', MAX_DURATION_MS],
    ['1d', MAX_DURATION_MS],
    ['1.5s', 1500],
    ['250', 250],
  ])('%s is %d ms', (text, ms) => {
    expect(readDuration(text)).toEqual({ ok: true, ms });
  });

  it.each(['0ms', '0', '0.4ms', '25d', '24.1h', '1441m'])('%s is out of range', (text) => {
    expect(readDuration(text)).toEqual({ ok: false, reason: 'range' });
    expect(parseDuration(text)).toBeUndefined();
  });

  it('numbers beyond Node\'s timer limit are refused', () => {
    expect(parseDuration(2 ** 31)).toBeUndefined();
    expect(parseDuration(Number.POSITIVE_INFINITY)).toBeUndefined();
    expect(parseDuration(86_400_000)).toBe(MAX_DURATION_MS);
  });

  it('flags out-of-range strings in profiles and defaults as schema violations', () => {
    const v = durationViolations({ defaults: { timeouts: { connect: '25d' } }, profiles: { 'a/b': { timeouts: { command: '0ms', greeting: '10s' } } } });
    expect(v.map((x) => x.instancePath)).toEqual(['/defaults/timeouts/connect', '/profiles/a~1b/timeouts/command']);
  });
});
