import type { Reporter, Severity } from '../types.ts';
import { displayPath, profileKeyLocation, visibleControls, visibleFiles } from './common.ts';

const COMMAND: Record<Severity, 'error' | 'warning' | 'notice'> = { error: 'error', warning: 'warning', info: 'notice' };

/**
 * Escaping of workflow commands as @actions/core does it (`escapeData`, `escapeProperty` in
 * packages/core/src/command.ts): the runner decodes %25, %0D, %0A, %3A and %2C. Other control
 * characters are shown as Control Pictures so an untrusted message cannot paint the log.
 */
export function escapeData(text: string): string {
  return visibleControls(text, '\r\n').replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function command(name: string, properties: Array<[string, string | number | undefined]>, message: string): string {
  const props = properties
    .filter((p): p is [string, string | number] => p[1] !== undefined)
    .map(([key, value]) => `${key}=${escapeProperty(String(value))}`)
    .join(',');
  return `::${name}${props ? ` ${props}` : ''}::${escapeData(message)}`;
}

function withHint(message: string, hint: string | undefined): string {
  return hint ? `${message}\nhint: ${hint}` : message;
}

/**
 * GitHub Actions workflow commands: one annotation per diagnostic (`::error`, `::warning`,
 * `::notice` for info) at its range, and one per failed (`::error`) or warned (`::warning`) check,
 * titled with the check id, at the profile's key in the file when it can be found.
 * Docs: https://docs.github.com/actions/reference/workflow-commands-for-github-actions
 */
export const github: Reporter = (report, options) => {
  const lines: string[] = [];
  for (const file of visibleFiles(report, options.quiet)) {
    const path = displayPath(file.path);
    for (const d of file.diagnostics) {
      lines.push(
        command(
          COMMAND[d.severity],
          [
            ['file', path],
            ['line', d.line],
            ['col', d.column],
            ['endLine', d.endLine],
            ['endColumn', d.endColumn],
            ['title', d.ruleId],
          ],
          withHint(d.message, d.hint),
        ),
      );
    }
    for (const check of file.checks) {
      if (check.status !== 'fail' && check.status !== 'warn') continue;
      const at = profileKeyLocation(file.source, check.profile);
      lines.push(
        command(
          check.status === 'fail' ? 'error' : 'warning',
          [
            ['file', path],
            ['line', at?.line],
            ['title', check.id],
          ],
          withHint(`${check.profile}: ${check.message}`, check.hint),
        ),
      );
    }
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
};
