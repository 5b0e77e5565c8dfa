import { describe, expect, it } from 'vitest';
import { json } from '../../src/report/json.ts';
import type { Report } from '../../src/types.ts';
import { LITERAL_SECRET, options, report } from './fixture.ts';

describe('json reporter', () => {
  const parsed = JSON.parse(json(report, options())) as Report;

  it('prints the SPEC §6 report: version, tool, files with diagnostics and checks, summary', () => {
    expect(parsed.version).toBe(1);
    expect(parsed.tool.name).toBe('mailcheck');
    expect(parsed.summary).toEqual(report.summary);
    expect(parsed.files.map((f) => f.path)).toEqual(report.files.map((f) => f.path));
    expect(parsed.files[0]!.diagnostics).toEqual(report.files[0]!.diagnostics);
    expect(parsed.files[0]!.checks).toEqual(report.files[0]!.checks);
    expect(Object.keys(parsed.files[0]!.diagnostics[0]!)).toEqual(expect.arrayContaining(['ruleId', 'severity', 'message', 'line', 'column', 'endLine', 'endColumn', 'pointer']));
  });

  it('leaves out the source text, which may hold a literal secret', () => {
    const text = json(report, options());
    for (const f of parsed.files) expect(f).not.toHaveProperty('source');
    expect(text).not.toContain(LITERAL_SECRET);
  });
});
