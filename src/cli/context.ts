import type { CliIO } from './io.ts';

/** What a command's action gets: the injected IO and a way to set the exit code. */
export interface CommandContext {
  io: CliIO;
  /** The exit code of the run; the highest value set wins (0 < 1 < 2). */
  exit(code: number): void;
  /** the package version */
  version: string;
}

/** A CLI command module: registers itself (flags, help, action) on the program. */
export interface CommandModule {
  name: string;
  register(program: import('commander').Command, ctx: CommandContext): void;
}
