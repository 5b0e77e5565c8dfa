/** The form-filling guides, by target id (`mailcheck render --target X --guide`). */
import { managerIoGuide } from '../manager-io.ts';
import { toModel, type Model } from '../model.ts';
import { perfexGuide } from '../perfex.ts';
import { shareInfoGuide } from '../share-info.ts';
import { shipturtleGuide } from '../shipturtle.ts';
import type { Profile, RenderWarning } from '../../types.ts';
import { RENDERERS } from '../index.ts';
import { MailcheckError } from '../../errors.ts';
import { guideText, type FormGuide, type GuideLang } from './guide.ts';

export { GUIDE_LANGS, guideText, isGuideLang, type FormGuide, type GuideLang, type GuideStep, type Texts } from './guide.ts';

export const GUIDES: Readonly<Record<string, (m: Model) => FormGuide>> = Object.freeze({
  'manager-io': managerIoGuide,
  perfex: perfexGuide,
  shipturtle: shipturtleGuide,
  'share-info': shareInfoGuide,
});

/**
 * The guide of a target for a profile, as text in one language, with the render's warnings (what
 * the app cannot express). The profile is rendered first (references only), so a transport the
 * app lacks fails the same way. Secrets are never revealed: the guide says where they are.
 */
export function renderGuide(profile: Profile, target: string, lang: GuideLang): { text: string; warnings: RenderWarning[] } {
  const build = GUIDES[target];
  const renderer = RENDERERS[target];
  if (!build || !renderer) {
    throw new MailcheckError('E_USAGE', `target ${target} has no form guide`, `guides exist for: ${Object.keys(GUIDES).join(', ')}`);
  }
  const { warnings } = renderer.render(profile, { secrets: 'ref' });
  const m = toModel(profile);
  return { text: guideText(build(m), m, lang), warnings };
}
