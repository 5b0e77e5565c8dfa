import type { Reporter } from '../types.ts';
import { terminalSafeJson } from './common.ts';

/**
 * SPEC §6: the report as JSON. The file's source text is left out: it is for reporters that
 * show source lines, and it may hold a literal secret that the plaintext-secret rule reports.
 */
export const json: Reporter = (report) =>
  `${terminalSafeJson({ ...report, files: report.files.map(({ source: _source, ...file }) => file) })}\n`;
