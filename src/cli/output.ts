import { buildReport, exitCodeOf, lintPaths, type LintedFile } from '../engine.ts';
import { MailcheckError } from '../errors.ts';
import { REPORTERS } from '../report/index.ts';
import { RULES } from '../rules/index.ts';
import type { FileResult, Report, Reporter, ReporterOptions, SeveritySetting } from '../types.ts';
import type { CommandContext } from './context.ts';
import { useColor } from './io.ts';
import { formatOf, nowOf, type OutputFlags } from './options.ts';
import { writeReportFile } from './report-files.ts';

/**
 * Builds the report of `files`, prints it in the chosen format and sets the exit code
 * (SPEC §2). Shared by every command that reports diagnostics or checks.
 */
export function printReport(ctx: CommandContext, files: readonly FileResult[], flags: OutputFlags, checks?: ReporterOptions['checks']): Report {
  const shown = flags.quiet
    ? files.map((f) => ({ ...f, diagnostics: f.diagnostics.filter((d) => d.severity === 'error'), checks: f.checks.filter((c) => c.status === 'fail') }))
    : files;
  const report = buildReport(shown);
  const format = formatOf(flags);
  const reporter = (REPORTERS as Record<string, Reporter>)[format];
  if (!reporter) throw new MailcheckError('E_USAGE', `format ${format} is not available`, `use one of: ${Object.keys(REPORTERS).join(', ')}`);
  const options = (color: boolean): ReporterOptions => ({ color, rules: RULES.map((r) => r.meta), quiet: flags.quiet ?? false, ...(checks ? { checks } : {}) });
  ctx.io.stdout.write(reporter(report, options(useColor(ctx.io, flags.color))));
  // the same report in more formats, from the same run (a check touches the network once)
  for (const extra of flags.report ?? []) writeReportFile(extra.file, ctx.io.cwd, (REPORTERS as Record<string, Reporter>)[extra.format]!(report, options(false)));
  ctx.exit(exitCodeOf(report, flags.maxWarnings));
  return report;
}

/**
 * The gate every online command starts with: lint the file(s); when any has an error, print the
 * report, set exit code 1 and return undefined (nothing touches the network or the disk).
 */
export async function lintGate(
  ctx: CommandContext,
  paths: string[],
  flags: OutputFlags,
  ruleOverrides: Record<string, SeveritySetting>,
  /** the run's environment: values are then judged after `${VAR}` interpolation too (SPEC §7) */
  env?: Record<string, string | undefined>,
): Promise<LintedFile[] | undefined> {
  const now = nowOf(flags, ctx.io.env);
  const files = await lintPaths(paths, { cwd: ctx.io.cwd, ruleOverrides, ...(env ? { env } : {}), ...(now ? { now } : {}) });
  if (!files.some((f) => f.diagnostics.some((d) => d.severity === 'error'))) return files;
  printReport(ctx, files, flags);
  ctx.exit(1);
  return undefined;
}
