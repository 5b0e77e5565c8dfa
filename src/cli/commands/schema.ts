import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../paths.ts';
import { VERSION } from '../../version.ts';
import type { CommandModule } from '../context.ts';

export const schemaCommand: CommandModule = {
  name: 'schema',
  register(program, ctx) {
    program
      .command('schema')
      .summary('print the JSON schema of mail.yaml')
      .description(
        'Print the JSON schema (draft-07) of mail.yaml. Editors with the YAML language server (VS Code, Neovim, JetBrains…) use it through the first line of the file, as `mailcheck init` writes it (see Examples).',
      )
      .addHelpText(
        'after',
        `\nExamples:\n  # yaml-language-server: $schema=https://unpkg.com/mailcheck-cli@${VERSION}/schema/mail.schema.json\n                                        the first line of a mail.yaml (this version's schema)\n  # yaml-language-server: $schema=./node_modules/mailcheck-cli/schema/mail.schema.json\n                                        the installed copy, offline\n  $ mailcheck schema > mail.schema.json  a copy for tools that want a file`,
      )
      .action(() => {
        ctx.io.stdout.write(readFileSync(join(packageRoot(), 'schema', 'mail.schema.json'), 'utf8'));
      });
  },
};
