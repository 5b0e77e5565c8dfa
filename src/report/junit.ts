import type { CheckResult, Diagnostic, Reporter } from '../types.ts';
import { checksByProfile, displayPath, visibleControls, visibleFiles } from './common.ts';

/** Characters XML 1.0 forbids even as references: C0 controls but tab/LF/CR, lone surrogates, U+FFFE/U+FFFF. */
const XML_FORBIDDEN =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Text fit for XML 1.0: forbidden characters become visible stand-ins (ESC → ␛), markup is
 * escaped, and CR, DEL, C1 controls and bidirectional formatting characters are written as
 * character references so they survive parsing and cannot reorder what a viewer shows.
 */
function xmlText(text: string): string {
  return text
    .replace(XML_FORBIDDEN, (ch) => visibleControls(ch))
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\r\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2028\u2029\u2066-\u2069]/g, (ch) => `&#x${ch.charCodeAt(0).toString(16).toUpperCase()};`);
}

/**
 * Outside text in element content: line breaks as references too, so a report printed to a CI
 * log never starts a line with a server's or a DNS record's words (`::warning::…` would be a
 * GitHub workflow command). XML readers get the line break back.
 */
function xmlOutside(text: string): string {
  return xmlText(text).replace(/\n/g, '&#10;');
}

/** Attribute values also escape quotes, and tab/LF/CR so attribute-value normalisation keeps them. */
function xmlAttr(text: string): string {
  return xmlText(text).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;');
}

function attrs(values: Record<string, string | number | undefined>): string {
  return Object.entries(values)
    .filter((e): e is [string, string | number] => e[1] !== undefined)
    .map(([k, v]) => ` ${k}="${xmlAttr(String(v))}"`)
    .join('');
}

function seconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}

interface Case {
  xml: string[];
  failed: boolean;
  skipped: boolean;
  ms: number;
}

interface Suite {
  name: string;
  cases: Case[];
}

function diagnosticCase(path: string, d: Diagnostic): Case {
  const at = `${path}:${d.line}:${d.column}`;
  const detail = [`${d.severity} at ${at} (${d.pointer})`, ...(d.profile ? [`profile: ${d.profile}`] : [])];
  if (d.hint) detail.push(`hint: ${d.hint}`);
  const head = `    <testcase${attrs({ classname: path, name: `${d.ruleId} ${d.line}:${d.column}`, file: path, line: d.line, time: '0.000' })}>`;
  const body =
    d.severity === 'error'
      ? `      <failure${attrs({ message: d.message, type: d.ruleId })}>${xmlOutside(`${d.message}\n${detail.join('\n')}`)}</failure>`
      : `      <system-out>${xmlOutside(`${d.message}\n${detail.join('\n')}`)}</system-out>`;
  return { xml: [head, body, '    </testcase>'], failed: d.severity === 'error', skipped: false, ms: 0 };
}

function checkCase(path: string, check: CheckResult): Case {
  const head = `    <testcase${attrs({ classname: `${path}#${check.profile}`, name: check.id, file: path, time: seconds(check.durationMs) })}`;
  const detail = [`${check.status}: ${check.message}`, `profile: ${check.profile}`];
  if (check.hint) detail.push(`hint: ${check.hint}`);
  const base = { ms: check.durationMs, failed: check.status === 'fail', skipped: check.status === 'skip' };
  switch (check.status) {
    case 'pass':
      return { ...base, xml: [`${head}/>`] };
    case 'fail':
      return {
        ...base,
        xml: [
          `${head}>`,
          `      <failure${attrs({ message: check.message, type: check.id })}>${xmlOutside(detail.join('\n'))}</failure>`,
          '    </testcase>',
        ],
      };
    case 'skip':
      return { ...base, xml: [`${head}>`, `      <skipped${attrs({ message: check.message })}/>`, '    </testcase>'] };
    default:
      // warn passes, with what was found in system-out
      return { ...base, xml: [`${head}>`, `      <system-out>${xmlOutside(detail.join('\n'))}</system-out>`, '    </testcase>'] };
  }
}

function suiteXml(suite: Suite, id: number): string[] {
  const failures = suite.cases.filter((c) => c.failed).length;
  const skipped = suite.cases.filter((c) => c.skipped).length;
  const ms = suite.cases.reduce((sum, c) => sum + c.ms, 0);
  return [
    `  <testsuite${attrs({ id, name: suite.name, tests: suite.cases.length, failures, errors: 0, skipped, time: seconds(ms) })}>`,
    ...suite.cases.flatMap((c) => c.xml),
    '  </testsuite>',
  ];
}

/**
 * JUnit XML (the Ant/Jenkins dialect GitLab, Jenkins, Azure and most CI dashboards read). Per
 * file: a lint suite with a testcase per diagnostic (errors fail; warnings and infos pass with the
 * finding in system-out) or a single passing `lint` case when clean, and a checks suite with a
 * testcase per check (fail → failure, skip → skipped, warn → passes with system-out).
 */
export const junit: Reporter = (report, options) => {
  const suites: Suite[] = [];
  for (const file of visibleFiles(report, options.quiet)) {
    const path = displayPath(file.path);
    const lint: Case[] = file.diagnostics.map((d) => diagnosticCase(path, d));
    if (lint.length === 0) {
      lint.push({ xml: [`    <testcase${attrs({ classname: path, name: 'lint', file: path, time: '0.000' })}/>`], failed: false, skipped: false, ms: 0 });
    }
    suites.push({ name: path, cases: lint });
    const checks = checksByProfile(file.checks).flatMap(([, list]) => list.map((c) => checkCase(path, c)));
    if (checks.length > 0) suites.push({ name: `${path} (checks)`, cases: checks });
  }
  const all = suites.flatMap((s) => s.cases);
  const total = {
    name: report.tool.name,
    tests: all.length,
    failures: all.filter((c) => c.failed).length,
    errors: 0,
    skipped: all.filter((c) => c.skipped).length,
    time: seconds(all.reduce((sum, c) => sum + c.ms, 0)),
  };
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attrs(total)}>`,
    ...suites.flatMap((s, i) => suiteXml(s, i)),
    '</testsuites>',
    '',
  ].join('\n');
};
