/**
 * `lint --fix` / `--fix-dry-run` for the CLI: each file with a fixable finding is read again,
 * fixed by {@link fixSource}, and either written back (atomically, its mode kept, only when it is
 * a regular file reached without a symbolic link) or shown as a diff. Returns the lint of the
 * fixed text, so the report and the exit code are those of the fixed files.
 */
import { statSync } from 'node:fs';
import { MAX_FILE_BYTES } from '../config/source.ts';
import { writeAllAtomic } from '../deploy/atomic.ts';
import { redactLine } from '../deploy/diff.ts';
import type { LintedFile, LintOptions } from '../engine.ts';
import { fixSource } from '../fix.ts';
import { assertWritable, readBoundedText } from '../safety/fs.ts';
import { outsideText } from '../safety/sanitize.ts';
import { MailcheckError } from '../errors.ts';
import type { CommandContext } from './context.ts';

export interface FixFlags {
  fix?: boolean;
  fixDryRun?: boolean;
}

export async function fixFiles(ctx: CommandContext, files: LintedFile[], flags: FixFlags, options: LintOptions, diffsTo: 'stdout' | 'stderr'): Promise<LintedFile[]> {
  if (flags.fix && flags.fixDryRun) {
    throw new MailcheckError('E_USAGE', '--fix and --fix-dry-run contradict each other', 'give --fix-dry-run to see the changes, then --fix to make them');
  }
  const out: LintedFile[] = [];
  for (const f of files) {
    if (!f.diagnostics.some((d) => d.fix)) {
      out.push(f);
      continue;
    }
    const target = { shown: outsideText(f.path), path: f.absPath };
    // checked before reading: a link or a FIFO swapped in for the file is refused, not followed
    if (!flags.fixDryRun) assertWritable(target);
    const text = readBoundedText(f.absPath, { label: 'mail.yaml', maxBytes: MAX_FILE_BYTES });
    const r = fixSource(f.path, text, options);
    const fixed: LintedFile = { ...r.file, absPath: f.absPath, baseDir: f.baseDir };
    out.push(fixed);
    if (!r.changed) continue;
    const verb = flags.fixDryRun ? 'would fix' : 'fixed';
    const lines = r.fixes.map((x) => `  ${x.line}:${x.column}  ${x.ruleId}  ${outsideText(x.before)} → ${outsideText(x.after)}`);
    ctx.io.stderr.write(`${target.shown}: ${verb} ${r.fixes.length} problem${r.fixes.length === 1 ? '' : 's'}\n${lines.join('\n')}\n`);
    if (flags.fixDryRun) {
      // a line that may carry a secret (a password key beside a renamed key) is not shown
      const shown = (line: string): string => outsideText(redactLine(line, []));
      ctx.io[diffsTo].write(`--- ${target.shown}\n+++ ${target.shown} (fixed)\n${unifiedLines(text, r.output, shown)}`);
      continue;
    }
    // an editor may have saved the file since it was read: its new text is not overwritten
    if (readBoundedText(f.absPath, { label: 'mail.yaml', maxBytes: MAX_FILE_BYTES }) !== text) {
      throw new MailcheckError('E_CHANGED', `${target.shown} changed while it was being fixed; not written`, 'run mailcheck lint --fix again');
    }
    await writeAllAtomic([{ path: f.absPath, content: r.output, mode: statSync(f.absPath).mode & 0o7777 }]);
  }
  return out;
}

/**
 * A fix replaces one token inside a line and never adds or removes a line, so the two texts
 * correspond line by line: each changed line is one hunk, `@@ -N +N @@`, old then new.
 */
function unifiedLines(before: string, after: string, shown: (line: string) => string): string {
  const a = before.split('\n');
  const b = after.split('\n');
  let out = '';
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] === b[i]) continue;
    out += `@@ -${i + 1} +${i + 1} @@\n`;
    if (a[i] !== undefined) out += `-${shown(a[i]!)}\n`;
    if (b[i] !== undefined) out += `+${shown(b[i]!)}\n`;
  }
  return out;
}
