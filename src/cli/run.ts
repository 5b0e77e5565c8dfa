import { Command, CommanderError } from 'commander';
import { isMailcheckError } from '../errors.ts';
import { VERSION } from '../version.ts';
import { COMMANDS } from './commands/index.ts';
import type { CommandContext } from './context.ts';
import { redactingIO, type CliIO } from './io.ts';
import { outsideText } from '../safety/sanitize.ts';

const HELP_FOOTER = `
Exit codes: 0 clean · 1 problems found or a check failed
            2 the tool could not do its job (a usage error, an unreadable file…)

Examples:
  $ mailcheck lint                         lint ./mail.yaml
  $ mailcheck lint examples -f sarif       every mail.yaml under examples/, as SARIF
  $ mailcheck rules port-encryption-mismatch
  $ mailcheck check --profile production   DNS, TLS and login, live
  $ mailcheck sandbox                      a local SMTP + DNS to try it all on

Docs: the README, and \`mailcheck <command> --help\`.`;

/**
 * Runs the CLI with `argv` (without `node` and the script) and returns the exit code. Never
 * exits the process and never throws: internal failures become one line on stderr and code 2.
 */
export async function runCommand(argv: string[], rawIo: CliIO): Promise<number> {
  // SPEC §7: everything the CLI writes passes the redactor, whatever path produced it (reports,
  // progress lines, errors, diffs, the sandbox's log): secrets are known when they are revealed
  const io = redactingIO(rawIo);
  let code = 0;
  const debug = argv.includes('--debug');
  const ctx: CommandContext = {
    io,
    version: VERSION,
    exit(n) {
      code = Math.max(code, n);
    },
  };
  const program = new Command('mailcheck')
    .description('Lint, check on the wire, render and deploy outgoing mail settings (mail.yaml).')
    .version(VERSION, '-v, --version')
    .showSuggestionAfterError(true)
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', HELP_FOOTER)
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .exitOverride();
  program.configureHelp({
    sortSubcommands: false,
    showGlobalOptions: false,
    // descriptions are written as paragraphs; commander wraps them to the terminal's width, so a
    // line break inside a paragraph would break the wrapped text mid-line (a blank line stays)
    commandDescription: (cmd) => cmd.description().replace(/([^\n])\n(?=[^\n])/g, '$1 '),
  });
  // Registering every command's flags costs start-up time; when the first word names a command,
  // only that one is needed (help for the program as a whole registers them all).
  const named = COMMANDS.find((c) => c.name === argv[0]);
  for (const command of named ? [named] : COMMANDS) command.register(program, ctx);
  for (const sub of program.commands) {
    sub.exitOverride().configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    });
  }
  try {
    if (argv.length === 0) {
      program.outputHelp();
      return 2;
    }
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version exit 0; every other commander error is a usage error
      return err.exitCode === 0 ? 0 : 2;
    }
    if (isMailcheckError(err)) {
      io.stderr.write(`mailcheck: ${outsideText(err.message)}\n`);
      if (err.hint) io.stderr.write(`  hint: ${outsideText(err.hint)}\n`);
      if (debug && err.stack) io.stderr.write(`${err.stack}\n`);
      return 2;
    }
    const message = err instanceof Error ? err.message : String(err);
    io.stderr.write(`mailcheck: internal error: ${outsideText(message)}\n`);
    io.stderr.write(debug && err instanceof Error && err.stack ? `${err.stack}\n` : '  (run again with --debug for the stack trace)\n');
    return 2;
  }
}
