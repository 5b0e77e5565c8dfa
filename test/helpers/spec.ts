/**
 * The ids the contract (docs/SPEC.md) names, read from the document itself so that no test keeps
 * its own copy of the list: registries are compared with the contract.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const SPEC = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'SPEC.md'), 'utf8');

/** The text of section `## n.` up to the next `## `. */
function section(n: number): string {
  const start = SPEC.search(new RegExp(`^## ${n}\\. `, 'm'));
  if (start < 0) throw new Error(`docs/SPEC.md has no section ${n}`);
  const rest = SPEC.slice(start + 4);
  const end = rest.search(/^## /m);
  return end < 0 ? rest : rest.slice(0, end);
}

/** The ids in the first column of the section's table (`| \`id\` | …`). */
export function specTableIds(n: number): string[] {
  return [...section(n).matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]!);
}

/** SPEC §3: rule ids. */
export const SPEC_RULE_IDS = specTableIds(3);
/** SPEC §4 and §8: check ids. */
export const SPEC_CHECK_IDS = {
  online: specTableIds(4),
  deliverability: specTableIds(8),
  /** SPEC §9 names its checks in prose: "**`oauth.token`** check" */
  oauth: [...section(9).matchAll(/\*\*`([a-z]+\.[a-z.-]+)`\*\* check/g)].map((m) => m[1]!),
};
/** SPEC §5: the render targets every release must have ("At least: `env`, …"). */
export const SPEC_TARGET_IDS = [.../At least:([\s\S]*?)\.\n/.exec(section(5))![1]!.matchAll(/`([a-z0-9-]+)`/g)].map((m) => m[1]!);
/** SPEC §2: the output formats (`--format a|b|…`). */
export const SPEC_FORMATS = /`--format ([a-z|]+)`/.exec(section(2))![1]!.split('|');
