import type { CheckResult, Diagnostic, FileResult, Reporter, RuleMeta, Severity } from '../types.ts';
import { joinPointer } from '../config/pointer.ts';
import { displayPath, profileKeyLocation, terminalSafeJson, visibleFiles } from './common.ts';

/** The OASIS schema of SARIF 2.1.0 (errata 01), the `$schema` consumers such as GitHub expect. */
const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
/** `tool.driver.informationUri` must be an absolute URI: the package's registry page. */
const INFORMATION_URI = 'https://www.npmjs.com/package/mailcheck-cli';

type Level = 'none' | 'note' | 'warning' | 'error';

interface Message {
  text: string;
  markdown?: string;
}

interface ReportingDescriptor {
  id: string;
  name?: string;
  shortDescription: Message;
  fullDescription: Message;
  help?: Message;
  defaultConfiguration: { enabled?: boolean; level: Level };
  properties?: Record<string, unknown>;
}

interface Region {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: Level;
  message: Message;
  locations: Array<{
    physicalLocation: {
      artifactLocation: { uri: string; uriBaseId?: string };
      region: Region;
    };
  }>;
  properties: Record<string, string | number | Record<string, string | number>>;
}

const LEVEL_OF_SEVERITY: Record<Severity, Level> = { error: 'error', warning: 'warning', info: 'note' };
const LEVEL_OF_SETTING: Record<RuleMeta['severity'], Level> = { ...LEVEL_OF_SEVERITY, off: 'none' };

/** A fence longer than any backtick run in `code` (CommonMark), so examples cannot close it. */
function fenced(code: string, lang: string): string {
  const longest = Math.max(0, ...(code.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${lang}\n${code.replace(/\n$/, '')}\n${fence}`;
}

function ruleDescriptor(meta: RuleMeta): ReportingDescriptor {
  const { bad, good } = meta.example;
  return {
    id: meta.id,
    name: meta.id,
    shortDescription: { text: meta.description },
    fullDescription: { text: meta.rationale },
    help: {
      text: `${meta.fix}\n\nBad:\n${bad.replace(/\n$/, '')}\n\nGood:\n${good.replace(/\n$/, '')}`,
      markdown: `${meta.fix}\n\nBad:\n\n${fenced(bad, 'yaml')}\n\nGood:\n\n${fenced(good, 'yaml')}`,
    },
    defaultConfiguration:
      meta.severity === 'off'
        ? { enabled: false, level: 'none' }
        : // an unexpected value (say `warn`, as users write it) gets SARIF's default level, never an invalid one
          { level: LEVEL_OF_SETTING[meta.severity] ?? 'warning' },
  };
}

/** A check's descriptor: its own description when the caller passed the checks' metadata. */
function checkDescriptor(id: string, description?: string): ReportingDescriptor {
  return {
    id,
    name: id,
    shortDescription: { text: description ?? `Online check ${id}` },
    fullDescription: {
      text: `The online check ${id} of \`mailcheck check\`${description ? ` (${description.replace(/\.$/, '')})` : ''} failed or warned for a profile; the result's message says what was found.`,
    },
    defaultConfiguration: { level: 'error' },
    properties: { kind: 'check' },
  };
}

/** A diagnostic whose rule is not in `options.rules` (should not happen; never drop a result). */
function unknownRuleDescriptor(id: string): ReportingDescriptor {
  return {
    id,
    name: id,
    shortDescription: { text: `Rule ${id}` },
    fullDescription: { text: `Rule ${id}; run \`mailcheck rules ${id}\` for its documentation.` },
    defaultConfiguration: { level: 'warning' },
  };
}

/**
 * The artifact location of a report path: relative paths as URI references against
 * `%SRCROOT%` (the checkout), absolute ones as file: URIs. Each segment is percent-encoded so
 * spaces, `%`, `#`, `?` and a `:` in a first segment cannot change the URI's meaning.
 */
export function artifactLocation(path: string): { uri: string; uriBaseId?: string } {
  const p = displayPath(path);
  const drive = /^([A-Za-z]):\//.exec(p);
  if (p.startsWith('/') || drive) {
    const segments = p.split('/').map((s, i) => (i === 0 && drive ? s : encodeURIComponent(s)));
    return { uri: `file://${drive ? '/' : ''}${segments.join('/')}` };
  }
  return { uri: p.split('/').map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
}

function int(n: number): number {
  return Number.isFinite(n) ? Math.max(1, Math.trunc(n)) : 1;
}

function regionOf(d: Diagnostic): Region {
  const startLine = int(d.line);
  const startColumn = int(d.column);
  const endLine = Math.max(int(d.endLine), startLine);
  const endColumn = endLine === startLine ? Math.max(int(d.endColumn), startColumn) : int(d.endColumn);
  return { startLine, startColumn, endLine, endColumn };
}

function checkRegion(file: FileResult, check: CheckResult): Region {
  const at = profileKeyLocation(file.source, check.profile);
  return at
    ? { startLine: at.line, startColumn: at.column, endLine: at.line, endColumn: at.endColumn }
    : { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 };
}

/**
 * SARIF 2.1.0 (GitHub code scanning, Azure DevOps, VS Code's SARIF viewer). The rules table is
 * generated from the rules' metadata (Spectral's way); failed and warned checks are results too,
 * with the check id as ruleId. `--quiet` keeps errors and failed checks only.
 */
export const sarif: Reporter = (report, options) => {
  const rules: ReportingDescriptor[] = options.rules.map(ruleDescriptor);
  const index = new Map(rules.map((r, i) => [r.id, i] as const));
  const indexOf = (id: string, make: (id: string) => ReportingDescriptor): number => {
    let i = index.get(id);
    if (i === undefined) {
      i = rules.push(make(id)) - 1;
      index.set(id, i);
    }
    return i;
  };

  const results: SarifResult[] = [];
  for (const file of visibleFiles(report, options.quiet)) {
    const artifact = artifactLocation(file.path);
    for (const d of file.diagnostics) {
      const properties: SarifResult['properties'] = { pointer: d.pointer, messageId: d.messageId };
      if (d.data !== undefined) properties.data = d.data;
      if (d.profile !== undefined) properties.profile = d.profile;
      if (d.hint !== undefined) properties.hint = d.hint;
      results.push({
        ruleId: d.ruleId,
        ruleIndex: indexOf(d.ruleId, unknownRuleDescriptor),
        level: LEVEL_OF_SEVERITY[d.severity],
        message: { text: d.message },
        locations: [{ physicalLocation: { artifactLocation: artifact, region: regionOf(d) } }],
        properties,
      });
    }
    for (const check of file.checks) {
      if (check.status !== 'fail' && check.status !== 'warn') continue;
      const properties: SarifResult['properties'] = {
        pointer: joinPointer(['profiles', check.profile]),
        profile: check.profile,
        status: check.status,
        messageId: check.messageId,
        durationMs: check.durationMs,
      };
      if (check.data !== undefined) properties.data = check.data;
      if (check.hint !== undefined) properties.hint = check.hint;
      results.push({
        ruleId: check.id,
        ruleIndex: indexOf(check.id, (id) => checkDescriptor(id, options.checks?.find((c) => c.id === id)?.description)),
        level: check.status === 'fail' ? 'error' : 'warning',
        message: { text: `${check.profile}: ${check.message}` },
        locations: [{ physicalLocation: { artifactLocation: artifact, region: checkRegion(file, check) } }],
        properties,
      });
    }
  }

  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: report.tool.name,
            version: report.tool.version,
            semanticVersion: report.tool.version,
            informationUri: INFORMATION_URI,
            rules,
          },
        },
        // Columns come from the YAML parser, which counts UTF-16 code units.
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return `${terminalSafeJson(log)}\n`;
};
