import { lintPaths } from '../../engine.ts';
import { RULE_IDS } from '../../rules/index.ts';
import type { CommandModule } from '../context.ts';
import { addOutputOptions, nowOf, parseRuleFlags, type OutputFlags } from '../options.ts';
import { printReport } from '../output.ts';

export const lintCommand: CommandModule = {
  name: 'lint',
  register(program, ctx) {
    addOutputOptions(
      program
        .command('lint')
        .summary('check mail.yaml files offline: YAML, schema and rules')
        .description(
          'Check mail.yaml files offline: YAML syntax, the schema, and the lint rules (`mailcheck rules`).\n' +
            'Paths may be files, folders (every mail.yaml / *.mail.yaml below) or globs; default ./mail.yaml.',
        )
        .argument('[paths...]', 'files, folders or globs', []),
    )
      .addHelpText(
        'after',
        '\nExamples:\n  $ mailcheck lint\n  $ mailcheck lint deploy/ "apps/**/*.mail.yaml"\n  $ mailcheck lint --format sarif > mailcheck.sarif\n  $ mailcheck lint --rule cleartext-auth=warn --max-warnings 0',
      )
      .action(async (paths: string[], flags: OutputFlags) => {
        const ruleOverrides = parseRuleFlags(flags.rule, RULE_IDS);
        const now = nowOf(flags, ctx.io.env);
        const files = await lintPaths(paths, { cwd: ctx.io.cwd, ruleOverrides, ...(now ? { now } : {}) });
        printReport(ctx, files, flags);
      });
  },
};
