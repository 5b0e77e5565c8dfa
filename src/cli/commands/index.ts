import type { CommandModule } from '../context.ts';
import { checkCommand } from './check.ts';
import { deployCommand } from './deploy.ts';
import { exporterCommand } from './exporter.ts';
import { initCommand } from './init.ts';
import { lintCommand } from './lint.ts';
import { presetsCommand } from './presets.ts';
import { renderCommand } from './render.ts';
import { rulesCommand } from './rules.ts';
import { sandboxCommand } from './sandbox.ts';
import { schemaCommand } from './schema.ts';
import { sendCommand } from './send.ts';
import { targetsCommand } from './targets.ts';

/** Every command, in the order `--help` lists them. One line per command module. */
export const COMMANDS: readonly CommandModule[] = [
  lintCommand,
  checkCommand,
  sendCommand,
  renderCommand,
  deployCommand,
  rulesCommand,
  presetsCommand,
  initCommand,
  targetsCommand,
  schemaCommand,
  sandboxCommand,
  exporterCommand,
];
