import type { Reporter } from '../types.ts';
import { github } from './github.ts';
import { json } from './json.ts';
import { junit } from './junit.ts';
import { markdown } from './markdown.ts';
import { sarif } from './sarif.ts';
import { stylish } from './stylish.ts';

/**
 * Every output format, declared once: CLI choices, docs and tests derive from it. The first one
 * is the default.
 */
export const REPORTERS = {
  stylish,
  json,
  sarif,
  github,
  junit,
  markdown,
} as const satisfies Record<string, Reporter>;

export type FormatId = keyof typeof REPORTERS;
export const FORMATS = Object.keys(REPORTERS) as readonly FormatId[];
