/**
 * All-or-nothing writes of several files: every file goes to a temporary file in its own folder
 * first (so the rename is atomic on POSIX), and only when all temporaries are complete are they
 * renamed over their destinations. If a rename fails, the files already replaced are restored
 * from hard-link backups, so the destinations end up either all old or all new and never
 * half-written.
 */
import { closeSync, constants, fsyncSync, openSync, promises as fs, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export interface WriteOp {
  path: string;
  content: string;
  /** file mode, applied exactly (not masked by the umask) */
  mode: number;
}

/** Test seams: called between the steps, may throw to simulate a failure there. */
export interface AtomicHooks {
  /** after every temporary file is complete, before `tmp` is renamed over `dest` */
  beforeRename?(tmp: string, dest: string): void | Promise<void>;
}

/**
 * The mode a rendered file gets: 0600 with inline secrets; else 0644, or the replaced regular
 * file's mode when that is stricter (an admin's 0640 stays) — never looser whatever was there
 * before (SPEC §7: no group/other write, no execute; non-regular targets are refused earlier).
 */
export function outputMode(secrets: 'ref' | 'inline', existingMode?: number): number {
  if (secrets === 'inline') return 0o600;
  return existingMode === undefined ? 0o644 : (existingMode & 0o644) | 0o600;
}

// Web Crypto, not node:crypto: writeFileAtomicSync is on every command's start-up path (reports),
// and node:crypto cost ~8 ms of each `lint` start; globalThis.crypto loads on first use
const tmpName = (dest: string, tag: string) =>
  join(dirname(dest), `.${basename(dest)}.mailcheck-${tag}-${process.pid}-${Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(4))).toString('hex')}`);

/** One file, whole or not at all, synchronously: a temporary file beside it renamed over it. */
export function writeFileAtomicSync(op: WriteOp): void {
  const tmp = tmpName(op.path, 'tmp');
  let fd: number | undefined;
  try {
    fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, op.mode);
    writeSync(fd, op.content);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, op.path);
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await fs.lstat(path);
    return true;
  } catch {
    return false;
  }
}

async function writeTemp(op: WriteOp): Promise<string> {
  await fs.mkdir(dirname(op.path), { recursive: true });
  const tmp = tmpName(op.path, 'tmp');
  const handle = await fs.open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, op.mode);
  try {
    await handle.chmod(op.mode);
    await handle.writeFile(op.content, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  return tmp;
}

async function backup(dest: string): Promise<string | undefined> {
  if (!(await exists(dest))) return undefined;
  const bak = tmpName(dest, 'bak');
  try {
    await fs.link(dest, bak);
  } catch {
    await fs.copyFile(dest, bak, constants.COPYFILE_EXCL);
  }
  return bak;
}

const quietUnlink = (path: string | undefined) => (path ? fs.unlink(path).catch(() => undefined) : Promise.resolve());

/** Writes every op or none of them; throws the first failure after undoing what was done. */
export async function writeAllAtomic(ops: readonly WriteOp[], hooks: AtomicHooks = {}): Promise<void> {
  const temps: string[] = [];
  try {
    for (const op of ops) temps.push(await writeTemp(op));
  } catch (err) {
    await Promise.all(temps.map(quietUnlink));
    throw err;
  }
  const backups: (string | undefined)[] = [];
  let renamed = 0;
  try {
    for (const op of ops) backups.push(await backup(op.path));
    for (const [i, op] of ops.entries()) {
      await hooks.beforeRename?.(temps[i]!, op.path);
      await fs.rename(temps[i]!, op.path);
      renamed++;
    }
  } catch (err) {
    for (let i = renamed - 1; i >= 0; i--) {
      const bak = backups[i];
      const dest = ops[i]!.path;
      await (bak ? fs.rename(bak, dest).catch(() => undefined) : quietUnlink(dest));
      backups[i] = undefined;
    }
    await Promise.all([...temps.slice(renamed).map(quietUnlink), ...backups.map(quietUnlink)]);
    throw err;
  }
  await Promise.all(backups.map(quietUnlink));
}
