import type { CliIO } from '../../src/cli/io.ts';
import { runCommand } from '../../src/cli/run.ts';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process (no spawn) with its output captured and NO_COLOR set. */
export async function runCli(args: string[], options: { cwd: string; env?: Record<string, string | undefined> }): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env: { NO_COLOR: '1', ...options.env },
    cwd: options.cwd,
  };
  const code = await runCommand(args, io);
  return { code, stdout, stderr };
}
