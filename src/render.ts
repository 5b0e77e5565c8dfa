/**
 * Programmatic rendering: a profile → the files a target application reads. Pure: no disk
 * writes, no environment reads; secrets are revealed only through `options.reveal` and only
 * with `secrets: 'inline'`.
 */
import { MailcheckError } from './errors.ts';
import { RENDERERS, TARGET_IDS } from './render/index.ts';
import type { Profile, Renderer, RenderOptions, RenderOutput } from './types.ts';

export { RENDERERS, TARGET_IDS };

/** The renderer of `target`; throws `E_UNKNOWN_TARGET` listing the known ids. */
export function getRenderer(target: string): Renderer {
  const renderer = RENDERERS[target];
  if (!renderer) {
    throw new MailcheckError('E_UNKNOWN_TARGET', `unknown target "${target}"`, `known targets: ${TARGET_IDS.join(', ')}`);
  }
  return renderer;
}

/**
 * Renders `profile` (already merged and interpolated) for `target`.
 * @param options.secrets `ref` (default) writes references or placeholders, safe to commit;
 *   `inline` writes the values, revealed through `options.reveal`.
 * @throws MailcheckError `E_UNKNOWN_TARGET`, `E_RENDER_TRANSPORT` (the target cannot express the
 *   profile's transport), `E_RENDER_VALUE` (a value the format cannot hold), `E_RENDER_SECRETS`.
 */
export function render(profile: Profile, target: string, options: RenderOptions = { secrets: 'ref' }): RenderOutput {
  const out = getRenderer(target).render(profile, options);
  return { target, profile: profile.name, files: out.files, warnings: out.warnings };
}
