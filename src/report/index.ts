import type { Reporter } from '../types.ts';
import { json } from './json.ts';

/** Every output format, declared once: CLI choices, docs and tests derive from it. */
export const REPORTERS = {
  json,
} as const satisfies Record<string, Reporter>;

export type FormatId = keyof typeof REPORTERS | 'stylish' | 'sarif' | 'github' | 'junit';
export const FORMATS: readonly FormatId[] = ['stylish', 'json', 'sarif', 'github', 'junit'];
