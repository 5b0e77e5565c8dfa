import type { Reporter } from '../types.ts';

/** SPEC §6: the report as JSON, exactly the `Report` shape (secrets are `[redacted]` by type). */
export const json: Reporter = (report) => `${JSON.stringify(report, null, 2)}\n`;
