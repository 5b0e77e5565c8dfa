import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../paths.ts';
import type { CommandModule } from '../context.ts';

export const schemaCommand: CommandModule = {
  name: 'schema',
  register(program, ctx) {
    program
      .command('schema')
      .summary('print the JSON schema of mail.yaml')
      .description(
        'Print the JSON schema (draft-07) of mail.yaml. Editors use it through the first line of the file:\n' +
          '  # yaml-language-server: $schema=./node_modules/mailcheck-cli/schema/mail.schema.json',
      )
      .action(() => {
        ctx.io.stdout.write(readFileSync(join(packageRoot(), 'schema', 'mail.schema.json'), 'utf8'));
      });
  },
};
