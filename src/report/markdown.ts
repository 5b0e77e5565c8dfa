import { outsideText } from '../safety/sanitize.ts';
import type { Reporter } from '../types.ts';
import { checksByProfile, displayPath, plural, summarize, visibleFiles } from './common.ts';

/**
 * A cell of a GitHub-flavoured Markdown table: one line, no control characters, and nothing that
 * Markdown or HTML would act on — pipes, backticks, emphasis, links, tags and entities are escaped.
 */
export function mdCell(text: string): string {
  return outsideText(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|#~!])/g, '\\$1')
    .replace(/^([-+=])/, '\\$1');
}

const SEVERITY: Record<string, string> = { error: '🔴 error', warning: '🟡 warning', info: '🔵 info' };
const STATUS: Record<string, string> = { pass: '✅ pass', warn: '🟡 warn', fail: '🔴 fail', skip: '⚪ skip' };

/**
 * A report for humans in pull requests and GitHub job summaries (`$GITHUB_STEP_SUMMARY`): a table
 * of diagnostics per file (severity, `file:line:col`, rule, message) and of checks per profile,
 * then a summary line. Every cell is escaped; secrets were redacted before the report was made.
 */
export const markdown: Reporter = (report, options) => {
  const out: string[] = ['## mailcheck', ''];
  const files = visibleFiles(report, options.quiet);
  for (const file of files) {
    if (file.diagnostics.length === 0 && file.checks.length === 0) continue;
    const path = displayPath(file.path);
    out.push(`### ${mdCell(path)}`, '');
    if (file.diagnostics.length) {
      out.push('| severity | location | rule | message |', '| --- | --- | --- | --- |');
      for (const d of file.diagnostics) {
        out.push(`| ${SEVERITY[d.severity]} | ${mdCell(`${path}:${d.line}:${d.column}`)} | ${mdCell(d.ruleId)} | ${mdCell(d.message)}${d.hint ? `<br>hint: ${mdCell(d.hint)}` : ''} |`);
      }
      out.push('');
    }
    for (const [profile, checks] of checksByProfile(file.checks)) {
      out.push(`**checks · ${mdCell(profile)}**`, '', '| status | check | result |', '| --- | --- | --- |');
      for (const c of checks) out.push(`| ${STATUS[c.status]} | ${mdCell(c.id)} | ${mdCell(c.message)}${c.hint ? `<br>hint: ${mdCell(c.hint)}` : ''} |`);
      out.push('');
    }
  }
  const n = summarize(files);
  const k = n.checks;
  const checks = k.pass + k.warn + k.fail + k.skip > 0 ? `; checks: ${k.pass} passed, ${k.warn} warned, ${k.fail} failed, ${k.skip} skipped` : '';
  out.push(`**${plural(n.errors, 'error')}, ${plural(n.warnings, 'warning')}, ${plural(n.infos, 'info')}${checks}**`, '');
  return out.join('\n');
};
