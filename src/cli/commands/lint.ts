import { lintPaths } from '../../engine.ts';
import { RULE_IDS } from '../../rules/index.ts';
import type { CommandModule } from '../context.ts';
import type { FixFlags } from '../lint-fix.ts';
import { addOutputOptions, formatOf, nowOf, parseRuleFlags, type OutputFlags } from '../options.ts';
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
        .argument('[paths...]', 'files, folders or globs', [])
        .option('--fix', 'repair the findings that have one safe fix (rules marked fixable in `mailcheck rules`), in place; comments and layout are kept')
        .option('--fix-dry-run', 'show what --fix would change, as a diff, and write nothing'),
    )
      .addHelpText(
        'after',
        '\nExamples:\n  $ mailcheck lint\n  $ mailcheck lint --fix-dry-run                 the repairs --fix would make, as a diff\n  $ mailcheck lint --fix deploy/                 make them (encryption: tls on 465 → ssl…)\n  $ mailcheck lint deploy/ "apps/**/*.mail.yaml"\n  $ mailcheck lint --format sarif > mailcheck.sarif\n  $ mailcheck lint --rule cleartext-auth=warn --max-warnings 0',
      )
      .action(async (paths: string[], flags: OutputFlags & FixFlags) => {
        const ruleOverrides = parseRuleFlags(flags.rule, RULE_IDS);
        const now = nowOf(flags, ctx.io.env);
        const options = { cwd: ctx.io.cwd, ruleOverrides, ...(now ? { now } : {}) };
        let files = await lintPaths(paths, options);
        if (flags.fix || flags.fixDryRun) {
          const { fixFiles } = await import('../lint-fix.ts');
          // a diff on stdout would corrupt a machine-readable report there
          files = await fixFiles(ctx, files, flags, options, formatOf(flags) === 'stylish' ? 'stdout' : 'stderr');
        }
        printReport(ctx, files, flags);
      });
  },
};
