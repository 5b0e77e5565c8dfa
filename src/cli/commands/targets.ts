import type { RendererMeta } from '../../types.ts';
import type { CommandModule } from '../context.ts';

/** One block per target: id, status, what it writes, what it cannot express. */
export function targetsText(metas: readonly RendererMeta[]): string {
  const width = Math.max(...metas.map((m) => m.id.length));
  return metas
    .map((m) => {
      const id = m.id;
      const status = m.status === 'verified' ? '' : `  [${m.status}]`;
      return [
        `${id.padEnd(width)}  ${m.title}${status}`,
        `${' '.repeat(width)}  writes: ${m.writes}`,
        `${' '.repeat(width)}  xoauth2: ${m.xoauth2.support} (${m.xoauth2.note})`,
        `${' '.repeat(width)}  cannot express: ${m.cannotExpress.length ? m.cannotExpress.join('; ') : '(nothing)'}`,
        ...(m.versions.length
          ? [`${' '.repeat(width)}  versions (--target-version):`, ...m.versions.map((v) => `${' '.repeat(width)}    ${v.range}: ${v.reads}`)]
          : []),
      ].join('\n');
    })
    .join('\n\n')
    .concat('\n');
}

export const targetsCommand: CommandModule = {
  name: 'targets',
  register(program, ctx) {
    program
      .command('targets')
      .summary('list the render/deploy targets, what each cannot express and the versions that read it differently')
      .description(
        'List every target of `mailcheck render` and `deploy`: what it writes, which mail.yaml settings it has no way to express, and the app versions whose reading differs (pick one with `render --target-version` or `targets[].version`).',
      )
      .argument('[id]', 'show one target')
      .option('--json', 'as JSON')
      .addHelpText('after', '\nExamples:\n  $ mailcheck targets                 every target, its files and what it cannot express\n  $ mailcheck targets mastodon        one target, with the versions that read it differently\n  $ mailcheck targets --json')
      .action(async (id: string | undefined, flags: { json?: boolean }) => {
        const { getRenderer, TARGET_IDS } = await import('../../render.ts');
        const metas = (id ? [id] : TARGET_IDS).map((t) => getRenderer(t).meta);
        ctx.io.stdout.write(flags.json ? `${JSON.stringify(metas, null, 2)}\n` : targetsText(metas));
      });
  },
};
