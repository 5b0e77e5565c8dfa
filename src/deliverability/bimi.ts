/** BIMI assertion records (draft-brand-indicators-for-message-identification): `v=BIMI1; l=…; a=…`. */
import { parseTags } from './tags.ts';

export function parseBimi(text: string): { logo?: string; authority?: string } | { error: string } {
  const t = text.trim();
  if (!/^v=BIMI1\s*(;|$)/i.test(t)) return { error: 'does not start with v=BIMI1' };
  const { tags } = parseTags(t);
  const l = tags.l?.trim();
  const a = tags.a?.trim();
  if (l && !/^https:\/\/\S+\.svg$/i.test(l)) return { error: 'l= must be an https: URL of an SVG file' };
  if (a && !/^https:\/\/\S+$/i.test(a)) return { error: 'a= must be an https: URL' };
  return { ...(l ? { logo: l } : {}), ...(a ? { authority: a } : {}) };
}
