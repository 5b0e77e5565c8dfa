/**
 * Every file mailcheck reads or writes on the user's behalf goes through here (SPEC §7 "Reads are
 * bounded", "Writes stay where they belong"). mailcheck runs as root in CI and reads paths that a
 * mail.yaml (someone else's, perhaps) names, and writes files that apps load.
 *
 * Reads open without blocking (O_NONBLOCK: a FIFO without a writer cannot hang the run), check
 * the open descriptor is a regular file, refuse more than the cap before reading, and never read
 * more than the cap plus one byte (a file that grows while read stays bounded).
 * Writes refuse anything but a regular file or a new file, refuse a symbolic link as the target,
 * and keep a relative path inside its root (the mail.yaml's folder) after resolving symlinks.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, realpathSync, type Stats } from 'node:fs';
import { dirname, isAbsolute, resolve, sep } from 'node:path';
import { MailcheckError } from '../errors.ts';

/** SPEC §7: files read are at most 1 MiB. */
export const MAX_READ_BYTES = 1024 * 1024;

/** What a non-regular file is, in words. */
export function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  if (st.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

export interface ReadOptions {
  /** what the file is, for messages: `tls.ca`, `--env-file`, `secret file` */
  label: string;
  /** @default MAX_READ_BYTES */
  maxBytes?: number;
  /** refuse a symbolic link as the file itself */
  noFollow?: boolean;
}

/** Reads a regular file of at most `maxBytes`; throws `E_NOT_FOUND` / `E_READ` naming it and what it is. */
export function readBounded(path: string, options: ReadOptions): Buffer {
  const max = options.maxBytes ?? MAX_READ_BYTES;
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | (options.noFollow ? constants.O_NOFOLLOW : 0));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'EIO';
    if (code === 'ENOENT') throw new MailcheckError('E_NOT_FOUND', `${options.label} ${path} not found`);
    if (code === 'ELOOP') throw new MailcheckError('E_READ', `${options.label} ${path} is a symbolic link, which is not followed here`);
    throw new MailcheckError('E_READ', `${options.label} ${path} cannot be read (${code})`, 'check the path and its permissions');
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new MailcheckError('E_READ', `${options.label} ${path} is ${kindOf(st)}, not a regular file`);
    if (st.size > max) throw new MailcheckError('E_READ', `${options.label} ${path} is ${st.size} bytes; at most ${max} are read`);
    const buf = Buffer.alloc(Math.min(st.size, max) + 1);
    let got = 0;
    for (;;) {
      const n = readSync(fd, buf, got, buf.length - got, null);
      if (n <= 0) break;
      got += n;
      if (got > max) throw new MailcheckError('E_READ', `${options.label} ${path} grew past ${max} bytes while it was read`);
      if (got === buf.length) break;
    }
    return buf.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

/** {@link readBounded} as UTF-8 text. */
export function readBoundedText(path: string, options: ReadOptions): string {
  return readBounded(path, options).toString('utf8');
}

/** The nearest existing ancestor of `path` (itself when it exists), with symlinks resolved. */
function realAncestor(path: string): string {
  let p = path;
  for (let i = 0; i < 256; i++) {
    try {
      return realpathSync(p);
    } catch {
      const up = dirname(p);
      if (up === p) return p;
      p = up;
    }
  }
  return p;
}

const inside = (child: string, root: string): boolean => child === root || child.startsWith(root.endsWith(sep) ? root : root + sep);

export interface WriteTarget {
  /** the path as written by the user (for messages) */
  shown: string;
  /** absolute path */
  path: string;
  /** a relative `out:` must stay inside this folder (the mail.yaml's); absent for paths taken as written */
  root?: string;
}

/**
 * Refuses a write target that is not a regular file or a new file, that is a symbolic link, or
 * (for a relative path) that resolves outside its root through `..` or a symlinked folder.
 * Throws `E_WRITE` naming the path; returns nothing when the write may go ahead.
 */
export function assertWritable(target: WriteTarget): void {
  let st: Stats | undefined;
  try {
    st = lstatSync(target.path);
  } catch {
    st = undefined;
  }
  if (st && st.isSymbolicLink()) throw new MailcheckError('E_WRITE', `${target.shown} is a symbolic link; mailcheck does not write through links`, 'write to the real path, or remove the link');
  if (st && !st.isFile()) throw new MailcheckError('E_WRITE', `${target.shown} is ${kindOf(st)}; only a regular file (or a new one) is replaced`);
  if (target.root !== undefined) {
    const root = realAncestor(target.root);
    if (!inside(resolve(target.path), resolve(target.root))) {
      throw new MailcheckError('E_WRITE', `${target.shown} is outside the folder of the mail.yaml (${target.root})`, 'write it inside that folder, or give an absolute path');
    }
    const real = realAncestor(dirname(target.path));
    if (!inside(real, root)) {
      throw new MailcheckError('E_WRITE', `${target.shown} resolves outside the folder of the mail.yaml through a symbolic link (${real})`, 'write to a real folder inside the mail.yaml\'s folder');
    }
  }
}

/** Whether `path` as written in mail.yaml is taken as written (absolute) or kept inside the folder. */
export function targetOf(shown: string, baseDir: string): WriteTarget {
  return isAbsolute(shown) ? { shown, path: shown } : { shown, path: resolve(baseDir, shown), root: baseDir };
}
