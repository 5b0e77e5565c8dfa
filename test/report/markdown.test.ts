import { describe, expect, it } from 'vitest';
import { markdown, mdCell } from '../../src/report/markdown.ts';
import type { Report } from '../../src/types.ts';
import { options, report } from './fixture.ts';

describe('markdown', () => {
  it('has a table per file and per profile, and a summary line', () => {
    const out = markdown(report, options());
    expect(out).toContain('| severity | location | rule | message |');
    expect(out).toMatch(/\| 🔴 error \| mail\.yaml:\d+:\d+ \| port-encryption-mismatch \|/);
    expect(out).toContain('| status | check | result |');
    expect(out).toMatch(/\*\*\d+ errors?, \d+ warnings?, \d+ infos?; checks: \d+ passed/);
  });

  it.each([
    ['a|b', 'a\\|b'],
    ['`code`', '\\`code\\`'],
    ['<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    ['line\nbreak', 'line␊break'],
    ['[link](http://x)', '\\[link\\](http://x)'],
    ['a & b', 'a &amp; b'],
  ])('escapes %j in a cell', (input, expected) => {
    expect(mdCell(input)).toBe(expected);
  });

  it('outside text cannot break the table or start a line', () => {
    const hostile: Report = {
      ...report,
      files: [{ path: 'mail.yaml', diagnostics: [], checks: [{ id: 'dns.dmarc', profile: 'p|x', status: 'fail', messageId: 'x', message: 'v=DMARC1 |\n::warning::pwned <img src=x>', durationMs: 1 }] }],
    };
    const out = markdown(hostile, options());
    for (const line of out.split('\n')) expect(line.startsWith('::warning::')).toBe(false);
    expect(out).not.toContain('<img');
    const row = out.split('\n').find((l) => l.includes('dns.dmarc'))!;
    expect(row.split(/(?<!\\)\|/).length - 1).toBe(4);
  });
});
