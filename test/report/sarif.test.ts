import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import formats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { artifactLocation, sarif } from '../../src/report/sarif.ts';
import type { Report, RuleMeta } from '../../src/types.ts';
import { EMPTY_PATH, options, report, rules } from './fixture.ts';

// ajv-formats is CommonJS: its module object is the plugin function
const addFormats = formats as unknown as typeof formats.default;

interface Descriptor {
  id: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help?: { text: string; markdown: string };
  defaultConfiguration: { level: string; enabled?: boolean };
}

interface Result {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: Array<{
    physicalLocation: {
      artifactLocation: { uri: string; uriBaseId?: string };
      region: { startLine: number; startColumn: number; endLine: number; endColumn: number };
    };
  }>;
  properties: Record<string, string | number>;
}

interface Log {
  version: string;
  runs: Array<{ tool: { driver: { name: string; version: string; informationUri: string; rules: Descriptor[] } }; results: Result[] }>;
}

function parse(text: string): { log: Log; rules: Descriptor[]; results: Result[] } {
  const log = JSON.parse(text) as Log;
  const run = log.runs[0]!;
  return { log, rules: run.tool.driver.rules, results: run.results };
}

const schema = JSON.parse(readFileSync(new URL('../fixtures/sarif-2.1.0-subset.schema.json', import.meta.url), 'utf8')) as object;
const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true }); // anyOf-of-required is the spec's idiom
addFormats(ajv);
const validate = ajv.compile(schema);

describe('sarif', () => {
  const text = sarif(report, options());
  const { log, rules: table, results } = parse(text);

  it('validates against the SARIF 2.1.0 schema (subset)', () => {
    const ok = validate(JSON.parse(text));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('the schema subset rejects what SARIF forbids', () => {
    const bad = JSON.parse(text) as Log;
    (bad.runs[0]!.results[0]!.locations[0]!.physicalLocation.region as { startLine: number }).startLine = 0;
    expect(validate(bad)).toBe(false);
    const bad2 = JSON.parse(text) as Log;
    (bad2.runs[0]!.results[0] as unknown as { level: string }).level = 'warn';
    expect(validate(bad2)).toBe(false);
    const bad3 = JSON.parse(text) as Log;
    (bad3.runs[0]!.results[0] as unknown as { severity: string }).severity = 'error';
    expect(validate(bad3)).toBe(false);
  });

  it('names the tool with its version', () => {
    expect(log.version).toBe('2.1.0');
    const driver = log.runs[0]!.tool.driver;
    expect(driver.name).toBe('mailcheck');
    expect(driver.version).toBe('0.1.0');
    expect(driver.informationUri).toMatch(/^https:\/\//);
  });

  it('generates the rules table from the rule metadata, in order', () => {
    expect(table.slice(0, rules.length).map((r) => r.id)).toEqual(rules.map((r) => r.id));
    const tls = table.find((r) => r.id === 'tls-verify-disabled')!;
    expect(tls.shortDescription.text).toBe('TLS certificates are verified');
    expect(tls.fullDescription.text).toBe('Why tls-verify-disabled matters.');
    expect(tls.help!.text).toContain('How to fix tls-verify-disabled.');
    expect(tls.help!.text).toContain('tls-verify-disabled: 1');
    expect(tls.help!.markdown).toContain('```yaml\n# good\ntls-verify-disabled: 2\n```');
    expect(new Set(table.map((r) => r.id)).size).toBe(table.length);
  });

  it('maps default severities to levels (off → none, disabled)', () => {
    const meta = (id: string, severity: RuleMeta['severity']): RuleMeta => ({ ...rules[0]!, id, severity });
    const { rules: t } = parse(
      sarif(report, options({ rules: [meta('a', 'error'), meta('b', 'warning'), meta('c', 'info'), meta('d', 'off')] })),
    );
    expect(t.slice(0, 4).map((r) => r.defaultConfiguration)).toEqual([
      { level: 'error' },
      { level: 'warning' },
      { level: 'note' },
      { enabled: false, level: 'none' },
    ]);
  });

  it('points every ruleIndex at the rule with its ruleId', () => {
    expect(results.length).toBeGreaterThan(0);
    for (const r of results) expect(table[r.ruleIndex]?.id).toBe(r.ruleId);
  });

  it('maps severities to levels and keeps regions, pointer and profile', () => {
    const byRule = (id: string) => results.filter((r) => r.ruleId === id);
    expect(byRule('port-encryption-mismatch')[0]).toMatchObject({
      level: 'error',
      message: { text: 'port 465 expects encryption: ssl, got starttls' },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'mail.yaml', uriBaseId: '%SRCROOT%' },
            region: { startLine: 7, startColumn: 11, endLine: 7, endColumn: 14 },
          },
        },
      ],
      properties: { pointer: '/profiles/production/port', profile: 'production' },
    });
    expect(byRule('tls-verify-disabled')[0]!.level).toBe('warning');
    expect(byRule('provider-app-password')[0]!.level).toBe('note');
    expect(byRule('preset-mismatch')[0]!.locations[0]!.physicalLocation.region).toEqual({
      startLine: 6,
      startColumn: 5,
      endLine: 8,
      endColumn: 25,
    });
  });

  it('gives the empty file a 1:1 region and an encoded relative uri', () => {
    const r = results.find((x) => x.ruleId === 'schema')!;
    expect(r.locations[0]!.physicalLocation).toEqual({
      artifactLocation: { uri: 'sites/eu%2Cwest%3A%20100%25/empty.mail.yaml', uriBaseId: '%SRCROOT%' },
      region: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 },
    });
    expect(decodeURIComponent(r.locations[0]!.physicalLocation.artifactLocation.uri)).toBe(EMPTY_PATH);
  });

  it('reports failed and warned checks as results with the check id, at the profile key', () => {
    const checks = results.filter((r) => r.ruleId.includes('.'));
    expect(checks.map((r) => [r.ruleId, r.level])).toEqual([
      ['dns.mx', 'warning'],
      ['smtp.auth', 'error'],
    ]);
    const auth = checks[1]!;
    expect(auth.message.text.startsWith('production: 535 5.7.8')).toBe(true);
    expect(auth.properties).toMatchObject({ profile: 'production', pointer: '/profiles/production', status: 'fail' });
    expect(auth.locations[0]!.physicalLocation.region).toEqual({ startLine: 4, startColumn: 3, endLine: 4, endColumn: 13 });
    const descriptor = table[auth.ruleIndex]!;
    expect(descriptor.id).toBe('smtp.auth');
    expect(descriptor.shortDescription.text).toContain('smtp.auth');
  });

  it("describes a check with the check's own description when it is given", () => {
    const log = JSON.parse(sarif(report, options({ checks: [{ id: 'smtp.auth', description: 'the login is accepted' }] }))) as { runs: { tool: { driver: { rules: { id: string; shortDescription: { text: string } }[] } } }[] };
    const auth = log.runs[0]!.tool.driver.rules.find((r) => r.id === 'smtp.auth')!;
    expect(auth.shortDescription.text).toBe('the login is accepted');
  });

  it('falls back to line 1 for a check whose profile is not found in the source', () => {
    const r: Report = {
      ...report,
      files: [
        {
          path: 'm.yaml',
          source: 'profiles: { p: {} }\n',
          diagnostics: [],
          checks: [{ id: 'dns.mx', profile: 'p', status: 'fail', messageId: 'fixture', message: 'x', durationMs: 1 }],
        },
      ],
    };
    const { results: res } = parse(sarif(r, options()));
    expect(res[0]!.locations[0]!.physicalLocation.region).toEqual({ startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 });
    expect(validate(JSON.parse(sarif(r, options())))).toBe(true);
  });

  it('adds a descriptor for a diagnostic whose rule is not in the metadata', () => {
    const r: Report = {
      ...report,
      files: [
        {
          path: 'm.yaml',
          diagnostics: [
            { ruleId: 'made-up', messageId: 'fixture', severity: 'error', message: 'x', line: 1, column: 1, endLine: 1, endColumn: 2, pointer: '' },
          ],
          checks: [],
        },
      ],
    };
    const out = parse(sarif(r, options()));
    expect(out.rules[out.results[0]!.ruleIndex]!.id).toBe('made-up');
    expect(validate(JSON.parse(sarif(r, options())))).toBe(true);
  });

  it('quiet keeps errors and failed checks only', () => {
    const { results: quiet } = parse(sarif(report, options({ quiet: true })));
    expect(new Set(quiet.map((r) => r.level))).toEqual(new Set(['error']));
    expect(quiet.map((r) => r.ruleId)).toContain('smtp.auth');
    expect(quiet.map((r) => r.ruleId)).not.toContain('dns.mx');
  });

  it('fences examples that contain backticks with a longer fence', () => {
    const meta: RuleMeta = { ...rules[0]!, example: { bad: 'a: "```"\n', good: 'a: b\n' } };
    const { rules: t } = parse(sarif(report, options({ rules: [meta] })));
    expect(t[0]!.help!.markdown).toContain('````yaml\na: "```"\n````');
  });
});

describe('artifactLocation', () => {
  it('makes relative paths URI references against %SRCROOT%', () => {
    expect(artifactLocation('./conf/mail.yaml')).toEqual({ uri: 'conf/mail.yaml', uriBaseId: '%SRCROOT%' });
    expect(artifactLocation('conf\\a#b?.yaml')).toEqual({ uri: 'conf/a%23b%3F.yaml', uriBaseId: '%SRCROOT%' });
  });

  it('makes absolute paths file: URIs', () => {
    expect(artifactLocation('/etc/mail check/mail.yaml')).toEqual({ uri: 'file:///etc/mail%20check/mail.yaml' });
    expect(artifactLocation('C:\\conf\\mail.yaml')).toEqual({ uri: 'file:///C:/conf/mail.yaml' });
  });
});
