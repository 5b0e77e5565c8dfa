/**
 * `--report FORMAT=FILE` (repeatable): the same report written in more formats, in the same run —
 * a CI job gets annotations on stdout, a Markdown summary and SARIF from one `check`, which
 * touches the network once. Each file is written whole or not at all (a temporary file renamed
 * over it), passes the redactor like every other output, and is refused when it is a link,
 * a device, a FIFO or a folder.
 */
import { resolve } from 'node:path';
import { writeFileAtomicSync } from '../deploy/atomic.ts';
import { MailcheckError } from '../errors.ts';
import { FORMATS, type FormatId } from '../report/index.ts';
import { assertWritable } from '../safety/fs.ts';
import { redact } from '../safety/redact.ts';
import { outsideText } from '../safety/sanitize.ts';

export interface ReportFile {
  format: FormatId;
  /** the path as given */
  file: string;
}

/** Commander's parser for one `--report` value: `FORMAT=FILE`. */
export function reportFileArg(value: string, previous: ReportFile[] = []): ReportFile[] {
  const m = /^([a-z]+)=(.+)$/.exec(value);
  const format = m?.[1] as FormatId | undefined;
  if (!m || !format || !(FORMATS as readonly string[]).includes(format)) {
    throw new MailcheckError('E_USAGE', `--report takes FORMAT=FILE, got "${outsideText(value)}"`, `FORMAT is one of ${FORMATS.join(', ')}; e.g. --report sarif=mailcheck.sarif`);
  }
  return [...previous, { format, file: m[2]! }];
}

/** Writes `text` (redacted) to `file`, relative to `cwd`, atomically, mode 0644. */
export function writeReportFile(file: string, cwd: string, text: string): void {
  // a path on the command line is the user's own: taken as written (unlike `out:` in a file)
  const target = { shown: outsideText(file), path: resolve(cwd, file) };
  assertWritable(target);
  try {
    writeFileAtomicSync({ path: target.path, content: redact(text), mode: 0o644 });
  } catch (err) {
    if (err instanceof MailcheckError) throw err;
    throw new MailcheckError('E_WRITE', `cannot write the report ${outsideText(file)}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, 'give a path in a folder that exists and that you may write to');
  }
}
