import type { CommandModule } from '../context.ts';
import { checkCommand } from './check.ts';
import { lintCommand } from './lint.ts';
import { presetsCommand } from './presets.ts';
import { rulesCommand } from './rules.ts';
import { sandboxCommand } from './sandbox.ts';
import { schemaCommand } from './schema.ts';
import { sendCommand } from './send.ts';

/** Every command, in the order `--help` lists them. One line per command module. */
export const COMMANDS: readonly CommandModule[] = [
  lintCommand,
  checkCommand,
  sendCommand,
  rulesCommand,
  presetsCommand,
  schemaCommand,
  sandboxCommand,
];
