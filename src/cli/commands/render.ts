import { Option } from 'commander';
import { dirname, join, resolve } from 'node:path';
import { loadEnv } from '../../config/env.ts';
import { revealSecret, SecretError, type Secret } from '../../config/secret.ts';
import { interpolateProfile } from '../../engine.ts';
import { MailcheckError } from '../../errors.ts';
import { RULE_IDS } from '../../rules/index.ts';
import type { RenderWarning } from '../../types.ts';
import type { CommandContext, CommandModule } from '../context.ts';
import { unredactedStdout } from '../io.ts';
import { lstatSync } from 'node:fs';
import { assertWritable } from '../../safety/fs.ts';
import { addOutputOptions, collect, formatOf, parseRuleFlags, type OutputFlags } from '../options.ts';
import { lintGate } from '../output.ts';

interface RenderFlags extends OutputFlags {
  target?: string;
  profile?: string;
  out?: string;
  secrets: 'ref' | 'inline';
  envFile?: string[];
  targetVersion?: string;
  guide?: boolean;
  lang: string;
}


/** One warning line on stderr: what the target cannot express. */
export function warningLine(w: RenderWarning): string {
  return `warning  ${w.target}  ${w.setting}  ${w.message}\n`;
}

async function runRender(ctx: CommandContext, path: string | undefined, flags: RenderFlags): Promise<void> {
  const io = ctx.io;
  if (!flags.target) throw new MailcheckError('E_USAGE', 'render needs --target', 'run `mailcheck targets` to list them');
  const { getRenderer, render } = await import('../../render.ts');
  getRenderer(flags.target);
  const ruleOverrides = parseRuleFlags(flags.rule, RULE_IDS);
  const files = await lintGate(ctx, [path ?? 'mail.yaml'], flags, ruleOverrides);
  if (!files) return;
  if (files.length !== 1) throw new MailcheckError('E_USAGE', `render takes one mail.yaml, found ${files.length}`, 'name the file');
  const file = files[0]!;
  const warnings = file.diagnostics.filter((d) => d.severity === 'warning').length;
  if (warnings > 0) io.stderr.write(`${file.path}: ${warnings} lint warning(s); run \`mailcheck lint\` to see them\n`);
  const names = file.profiles.map((p) => p.name);
  const chosen = flags.profile ? file.profiles.find((p) => p.name === flags.profile) : file.profiles.length === 1 ? file.profiles[0] : undefined;
  if (!chosen) {
    throw new MailcheckError(
      'E_USAGE',
      flags.profile ? `no profile named "${flags.profile}"` : 'render needs --profile when the file has several profiles',
      `profiles: ${names.join(', ') || 'none'}`,
    );
  }
  const env = loadEnv(flags.envFile, io.env, io.cwd);
  const profile = interpolateProfile(chosen, env);
  if (flags.guide) {
    // the guide never reveals a secret: it says where each one is, to type by hand
    const { renderGuide } = await import('../../render/guide/index.ts');
    const guide = renderGuide(profile, flags.target, flags.lang as 'en' | 'ja' | 'it');
    for (const w of guide.warnings) io.stderr.write(warningLine(w));
    if (formatOf(flags) === 'json') io.stdout.write(`${JSON.stringify({ target: flags.target, profile: profile.name, lang: flags.lang, guide: guide.text, warnings: guide.warnings }, null, 2)}\n`);
    else io.stdout.write(guide.text);
    return;
  }
  const reveal = (s: Secret): string => {
    try {
      return revealSecret(s, { env, baseDir: file.baseDir });
    } catch (err) {
      if (err instanceof SecretError) throw new MailcheckError('E_SECRET', err.message, err.hint);
      throw err;
    }
  };
  const out = render(profile, flags.target, {
    secrets: flags.secrets,
    reveal,
    baseDir: file.baseDir,
    ...(flags.targetVersion !== undefined ? { version: flags.targetVersion } : {}),
  });
  for (const w of out.warnings) io.stderr.write(warningLine(w));

  if (flags.out) {
    const { outputMode, writeAllAtomic } = await import('../../deploy/atomic.ts');
    const main = resolve(io.cwd, flags.out);
    const ops = out.files.map((f, i) => {
      const path = i === 0 ? main : join(dirname(main), f.name);
      // SPEC §7: never a device, FIFO, directory or symbolic link (`--out /dev/null` is refused)
      assertWritable({ shown: i === 0 ? flags.out! : join(dirname(flags.out!), f.name), path });
      const existing = lstatSync(path, { throwIfNoEntry: false });
      return { path, content: f.content, mode: outputMode(flags.secrets, existing ? existing.mode & 0o777 : undefined) };
    });
    await writeAllAtomic(ops);
    for (const op of ops) io.stderr.write(`wrote ${op.path} (mode ${op.mode.toString(8).padStart(4, '0')})\n`);
  } else {
    // the values are what `--secrets inline` asked for; everything else is redacted as always
    const stdout = flags.secrets === 'inline' ? unredactedStdout(io) : io.stdout;
    if (formatOf(flags) === 'json') stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    else if (out.files.length === 1) stdout.write(out.files[0]!.content);
    else stdout.write(out.files.map((f) => `# ==> ${f.name} <==\n${f.content}`).join('\n'));
  }
}

export const renderCommand: CommandModule = {
  name: 'render',
  register(program, ctx) {
    const cmd = program
      .command('render')
      .summary("write a profile as a target app's env file or settings payload")
      .description(
        "Lint the file (errors stop here), then write one profile in a target application's own names and\n" +
          'formats (run `mailcheck targets` for the list). What the target cannot express is printed as a\n' +
          'warning on stderr. By default secrets are written as references or placeholders, safe to commit.',
      )
      .argument('[path]', 'the mail.yaml (default ./mail.yaml)')
      .option('-t, --target <id>', 'the target application (see `mailcheck targets`)')
      .option('-p, --profile <name>', 'the profile to render (needed when there are several)')
      .option('-o, --out <file>', 'write to this file (atomically) instead of stdout')
      .option('--target-version <version>', "the target app's version (e.g. 4.3, 11.35.0): write what that version reads (see `mailcheck targets ID`)")
      .addOption(
        new Option('--secrets <mode>', 'ref: references or placeholders (safe to commit); inline: the values (file mode 0600)')
          .choices(['ref', 'inline'])
          .default('ref'),
      )
      .option('--env-file <path>', 'read secrets and ${VARS} from a dotenv file (repeatable)', collect)
      .option('--guide', "print a form-filling guide in the app's own labels and order instead (manager-io, perfex, shipturtle, share-info)")
      .addOption(new Option('--lang <lang>', 'language of the --guide labels').choices(['en', 'ja', 'it']).default('en'));
    addOutputOptions(cmd)
      .addHelpText(
        'after',
        '\nExamples:\n  $ mailcheck render --target laravel --profile production\n  $ mailcheck render --target msmtp -p relay --secrets inline --env-file .env --out ~/.msmtprc\n  $ mailcheck render -t keycloak -p production --json\n  $ mailcheck render -t manager-io -p production --guide --lang ja',
      )
      .action(async (path: string | undefined, flags: RenderFlags) => {
        await runRender(ctx, path, flags);
      });
  },
};
