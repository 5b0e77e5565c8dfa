/** DMARC records (RFC 7489 §6.3): the tags that decide what a receiver does. */
import { parseTags } from './tags.ts';

export type DmarcPolicy = 'none' | 'quarantine' | 'reject';

export interface DmarcRecord {
  p: DmarcPolicy;
  /** the policy for subdomains; `p` when absent */
  sp: DmarcPolicy;
  adkim: 'r' | 's';
  aspf: 'r' | 's';
  /** 0–100 */
  pct: number;
  rua: string[];
}

const POLICIES: readonly string[] = ['none', 'quarantine', 'reject'];

export const DMARC_PREFIX = /^v\s*=\s*DMARC1\s*(;|$)/i;

/** Parses one record; `{ error }` when it has no valid `p=` or is not DMARC1. */
export function parseDmarc(text: string): DmarcRecord | { error: string } {
  if (!DMARC_PREFIX.test(text.trim())) return { error: 'does not start with v=DMARC1' };
  const { tags } = parseTags(text);
  const p = tags.p?.toLowerCase();
  if (!p || !POLICIES.includes(p)) return { error: 'no valid p= tag (none, quarantine or reject)' };
  const sp = tags.sp?.toLowerCase();
  const mode = (v: string | undefined): 'r' | 's' => (v?.toLowerCase() === 's' ? 's' : 'r');
  const pct = Number(tags.pct ?? 100);
  return {
    p: p as DmarcPolicy,
    sp: (sp && POLICIES.includes(sp) ? sp : p) as DmarcPolicy,
    adkim: mode(tags.adkim),
    aspf: mode(tags.aspf),
    pct: Number.isInteger(pct) && pct >= 0 && pct <= 100 ? pct : 100,
    rua: (tags.rua ?? '').split(',').map((s) => s.trim()).filter(Boolean),
  };
}
