/**
 * Form-filling guides for apps configured only through a settings page (Manager.io, Shipturtle,
 * SHARE info, Perfex's UI path): the app's own field labels, in the app's order, with what to
 * select, type, tick or leave empty. Secrets are never written: the guide names where the value
 * is (an env var, a file) so the person types it by hand. Labels come from the seed help pages
 * (docs/seed-apps.md says which page each label was read in).
 */
import { outsideText } from '../../safety/sanitize.ts';
import type { Model, SecretField } from '../model.ts';

export type GuideLang = 'en' | 'ja' | 'it';
export const GUIDE_LANGS: readonly GuideLang[] = ['en', 'ja', 'it'];

/** One text in each guide language. */
export type Texts = Record<GuideLang, string>;

export type StepAction = 'select' | 'type' | 'check' | 'uncheck' | 'leave-empty' | 'keep' | 'secret' | 'hidden' | 'auto';

export interface GuideStep {
  label: Texts;
  action: StepAction;
  /** what to select or type: a value, or an option label in each language */
  value?: string | Texts;
  /** for `secret`: which secret (the guide says where it is, never its value) */
  secret?: SecretField;
  /** a remark in each language */
  note?: Texts;
}

export interface FormGuide {
  app: string;
  /** where the page is in the app */
  where: Texts;
  steps: GuideStep[];
  /** what to do after filling the fields (test button, save button), in order */
  finally: Texts[];
  /** seed files and public pages the labels were read in */
  sources: string[];
}

const ACTIONS: Record<StepAction, Texts> = {
  select: { en: 'select', ja: '選択', it: 'seleziona' },
  type: { en: 'type', ja: '入力', it: 'inserisci' },
  check: { en: 'tick', ja: 'チェックを入れる', it: 'spunta' },
  uncheck: { en: 'leave unticked', ja: 'チェックを外したまま', it: 'lascia senza spunta' },
  'leave-empty': { en: 'leave empty', ja: '空欄のまま', it: 'lascia vuoto' },
  keep: { en: 'leave as it is', ja: '変更しない', it: "lascia com'è" },
  secret: { en: 'type by hand', ja: '手で入力', it: 'inserisci a mano' },
  hidden: { en: 'not shown (nothing to do)', ja: '表示されない(操作不要)', it: 'non visualizzato (niente da fare)' },
  auto: { en: 'filled in automatically (check it)', ja: '自動で設定(確認のみ)', it: 'compilato automaticamente (verifica)' },
};

const HEAD: Texts = { en: 'Form guide', ja: '入力ガイド', it: 'Guida alla compilazione' };
const PROFILE: Texts = { en: 'profile', ja: 'プロファイル', it: 'profilo' };
const WHERE: Texts = { en: 'Where', ja: '場所', it: 'Dove' };
const THEN: Texts = { en: 'Then', ja: 'その後', it: 'Poi' };
const SOURCES: Texts = { en: 'Labels from', ja: 'ラベルの出典', it: 'Etichette da' };

/** Where a secret is, for the person to type it by hand: never its value. */
export function secretWhere(m: Model, field: SecretField, lang: GuideLang): string {
  const secret = m.profile.auth?.[field];
  const ref = secret?.ref;
  if (!ref) return '';
  if (ref.kind === 'env') return { en: `the value of \${${ref.name}}`, ja: `\${${ref.name}} の値`, it: `il valore di \${${ref.name}}` }[lang];
  if (ref.kind === 'file') return { en: `the contents of ${ref.path}`, ja: `${ref.path} の内容`, it: `il contenuto di ${ref.path}` }[lang];
  return { en: `auth.${field} as written in mail.yaml`, ja: `mail.yaml の auth.${field}`, it: `auth.${field} come scritto in mail.yaml` }[lang];
}

/** The guide as lines of text; every value from the profile goes through outsideText. */
export function guideText(guide: FormGuide, m: Model, lang: GuideLang): string {
  const out: string[] = [];
  out.push(`# ${HEAD[lang]}: ${guide.app} (${PROFILE[lang]} "${outsideText(m.name)}")`);
  out.push(`# ${WHERE[lang]}: ${guide.where[lang]}`);
  let n = 0;
  for (const step of guide.steps) {
    n += 1;
    const raw = step.secret ? secretWhere(m, step.secret, lang) : typeof step.value === 'object' ? step.value[lang] : step.value;
    const value = raw === undefined || raw === '' ? '' : `: ${outsideText(raw)}`;
    out.push(`${String(n).padStart(2, ' ')}. ${step.label[lang]} — ${ACTIONS[step.action][lang]}${value}`);
    if (step.note) out.push(`    ${step.note[lang]}`);
  }
  for (const t of guide.finally) out.push(`${THEN[lang]}: ${t[lang]}`);
  out.push(`# ${SOURCES[lang]}: ${guide.sources.join(', ')}`);
  return `${out.join('\n')}\n`;
}

/** The same text in all three languages (for apps whose page exists in one language only). */
export function same(text: string): Texts {
  return { en: text, ja: text, it: text };
}

export function isGuideLang(value: string): value is GuideLang {
  return (GUIDE_LANGS as readonly string[]).includes(value);
}
