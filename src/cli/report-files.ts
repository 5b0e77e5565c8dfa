/**
 * `--report FORMAT=FILE` (repeatable): the same report written in more formats, in the same run —
 * a CI job gets annotations on stdout, a Markdown summary and SARIF from one `check`, which
 * touches the network once. Each file is written whole or not at all (a temporary file renamed
 * over it), passes the redactor like every other output, and is refused when it is a link,
 * a device, a FIFO or a folder.
 */
import { closeSync, constants, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
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
  // Web Crypto, not node:crypto: this module is on every command's start-up path, and loading
  // node:crypto there cost ~8 ms of each `lint`; globalThis.crypto loads on first use
  const suffix = Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(4))).toString('hex');
  const tmp = join(dirname(target.path), `.${basename(target.path)}.mailcheck-${process.pid}-${suffix}`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o644);
    writeSync(fd, redact(text));
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, target.path);
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
    if (err instanceof MailcheckError) throw err;
    throw new MailcheckError('E_WRITE', `cannot write the report ${outsideText(file)}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, 'give a path in a folder that exists and that you may write to');
  }
}
