/** Which checks a run performs: `--only` names resolved, and each profile's plan with its prerequisites. */
import { MailcheckError } from '../errors.ts';
import type { Profile } from '../types.ts';
import { CHECKS, onlyNames } from './index.ts';
import type { Check } from './types.ts';

/**
 * The ids `--only` selects; throws `E_USAGE` for an unknown name, and for an `--only` that names
 * nothing (`--only ""`, `--only ,,,`): running no check and passing would be a silent lie.
 */
export function resolveOnly(only: string[] | undefined): Set<string> {
  const all = new Set(CHECKS.map((c) => c.meta.id));
  if (!only || only.length === 0) return all;
  const names = only.flatMap((o) => o.split(',')).map((s) => s.trim().toLowerCase()).filter(Boolean);
  if (names.length === 0) {
    throw new MailcheckError('E_USAGE', '--only names no check', `give check ids or groups, comma-separated: ${onlyNames().join(', ')}`);
  }
  const out = new Set<string>();
  for (const name of names) {
    const hits = CHECKS.filter((c) => c.meta.id === name || c.meta.groups.includes(name));
    if (!hits.length) {
      throw new MailcheckError('E_USAGE', `--only: unknown check or group "${name}"`, `known: ${onlyNames().join(', ')}`);
    }
    for (const c of hits) out.add(c.meta.id);
  }
  return out;
}

/** The checks of one profile, in registry order: selected and applicable, plus their prerequisites. */
export function planFor(profile: Profile, selected: ReadonlySet<string>, rcpt: string | undefined): Check[] {
  const applicable = CHECKS.filter((c) => c.appliesTo(profile, rcpt ? { rcpt } : {}));
  const byId = new Map(applicable.map((c) => [c.meta.id, c]));
  const want = new Set<string>();
  const add = (id: string): void => {
    const c = byId.get(id);
    if (!c || want.has(id)) return;
    want.add(id);
    for (const r of c.requires(profile)) add(r);
  };
  for (const id of selected) add(id);
  return applicable.filter((c) => want.has(c.meta.id));
}
