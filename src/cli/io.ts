import { redact } from '../safety/redact.ts';
/** What a command may touch of the process: injected so commands are tested without spawning. */
export interface CliIO {
  stdout: { write(chunk: string): unknown; isTTY?: boolean; columns?: number };
  stderr: { write(chunk: string): unknown; isTTY?: boolean };
  env: Record<string, string | undefined>;
  cwd: string;
}

const RAW = Symbol('unredacted stdout');

/** `io` whose stdout and stderr pass every chunk through the process-wide redactor. */
export function redactingIO(io: CliIO): CliIO {
  const wrap = <S extends CliIO['stdout'] | CliIO['stderr']>(stream: S): S =>
    Object.assign(Object.create(stream) as S, { write: (chunk: string): unknown => stream.write(redact(String(chunk))) });
  return Object.assign({ ...io, stdout: wrap(io.stdout), stderr: wrap(io.stderr) }, { [RAW]: io.stdout });
}

/**
 * The stdout under the redactor, for the one output whose purpose is the secret values:
 * `render --secrets inline` without `--out`, which the user asked to print.
 */
export function unredactedStdout(io: CliIO): CliIO['stdout'] {
  return (io as CliIO & { [RAW]?: CliIO['stdout'] })[RAW] ?? io.stdout;
}

export function processIO(): CliIO {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() };
}

/** Colour is on only for a TTY, never with NO_COLOR or --no-color, and forced by FORCE_COLOR. */
export function useColor(io: CliIO, flag: boolean | undefined): boolean {
  if (flag === false) return false;
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  if (io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== '0') return true;
  return Boolean(io.stdout.isTTY) && io.env.TERM !== 'dumb';
}
