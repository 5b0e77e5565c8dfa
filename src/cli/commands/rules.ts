import { MailcheckError } from '../../errors.ts';
import { findRule, RULES } from '../../rules/index.ts';
import type { RuleMeta } from '../../types.ts';
import type { CommandModule } from '../context.ts';

const SEVERITY: Record<RuleMeta['severity'], string> = { error: 'error', warning: 'warn', info: 'info', off: 'off' };

function indent(text: string, by = '    '): string {
  return text
    .split('\n')
    .map((l) => by + l)
    .join('\n');
}

/** The full explanation of one rule, as `mailcheck rules ID` prints it. */
export function explainRule(meta: RuleMeta): string {
  return [
    `${meta.id}  (default: ${SEVERITY[meta.severity]})`,
    '',
    `  What:  ${meta.description}`,
    `  Why:   ${meta.rationale}`,
    `  Fix:   ${meta.fix}`,
    ...(meta.fixable ? ['         `mailcheck lint --fix` makes the fix where there is one safe choice.'] : []),
    '',
    '  Example that triggers it:',
    indent(meta.example.bad),
    '',
    '  Fixed:',
    indent(meta.example.good),
    '',
    `  Change its severity in mail.yaml (rules: { ${meta.id}: warn }) or with --rule ${meta.id}=off.`,
    '',
  ].join('\n');
}

export const rulesCommand: CommandModule = {
  name: 'rules',
  register(program, ctx) {
    program
      .command('rules')
      .summary('list the lint rules, or explain one')
      .description('List the lint rules with their default severity, or explain one: what it catches, why, how to fix it, an example.')
      .argument('[id]', 'a rule id, e.g. port-encryption-mismatch')
      .option('--json', 'print the rules metadata as JSON')
      .addHelpText('after', '\nExamples:\n  $ mailcheck rules                              every rule and its default severity\n  $ mailcheck rules port-encryption-mismatch     what it catches, why, the fix, an example\n  $ mailcheck rules --json                       the metadata, for tools')
      .action((id: string | undefined, flags: { json?: boolean }) => {
        if (id !== undefined) {
          const rule = findRule(id);
          if (!rule) throw new MailcheckError('E_USAGE', `unknown rule "${id}"`, 'run `mailcheck rules` to list them');
          ctx.io.stdout.write(flags.json ? `${JSON.stringify(rule.meta, null, 2)}\n` : explainRule(rule.meta));
          return;
        }
        if (flags.json) {
          ctx.io.stdout.write(`${JSON.stringify(RULES.map((r) => r.meta), null, 2)}\n`);
          return;
        }
        const width = Math.max(...RULES.map((r) => r.meta.id.length));
        const lines = RULES.map((r) => `  ${r.meta.id.padEnd(width)}  ${SEVERITY[r.meta.severity].padEnd(5)}  ${r.meta.fixable ? 'fix' : '   '}  ${r.meta.description}`);
        ctx.io.stdout.write(
          `Rules (id, default severity, "fix" when \`lint --fix\` repairs some findings, what it catches):\n\n${lines.join('\n')}\n\nRun \`mailcheck rules <id>\` for why and how to fix.\n`,
        );
      });
  },
};
