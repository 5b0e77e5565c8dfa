import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Encryption } from '../../src/types.ts';

/** test/fixtures/corpus: a copy of shared/corpus (sources and licences in its README). */
export const CORPUS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'corpus');

export type CorpusFile = 'ispdb-smtp.tsv' | 'nodemailer-services.tsv';

/** One corpus row, reduced to what presets are compared on. */
export interface CorpusRow {
  file: CorpusFile;
  /** line in the file (the header is line 1), as `corpus:<file>:L<line>` refs name it */
  line: number;
  ref: string;
  host: string;
  port: number;
  encryption: Encryption;
  domains: string[];
  raw: Record<string, string>;
}

function read(file: CorpusFile): { line: number; cells: Record<string, string> }[] {
  const lines = readFileSync(join(CORPUS_DIR, file), 'utf8').split('\n');
  const header = lines[0]!.split('\t');
  const out: { line: number; cells: Record<string, string> }[] = [];
  lines.slice(1).forEach((text, i) => {
    if (text === '') return;
    const values = text.split('\t');
    out.push({ line: i + 2, cells: Object.fromEntries(header.map((h, j) => [h, values[j] ?? ''])) });
  });
  return out;
}

const list = (s: string): string[] => s.split(',').map((x) => x.trim().toLowerCase()).filter(Boolean);

/** ISPDB rows: socketType SSL = implicit TLS, STARTTLS = required upgrade, plain = none. */
export function ispdbRows(): CorpusRow[] {
  const enc: Record<string, Encryption> = { SSL: 'ssl', STARTTLS: 'starttls', plain: 'none' };
  return read('ispdb-smtp.tsv').map(({ line, cells }) => ({
    file: 'ispdb-smtp.tsv',
    line,
    ref: `corpus:ispdb-smtp.tsv:L${line}`,
    host: cells.hostname!.toLowerCase(),
    port: Number(cells.port),
    encryption: enc[cells.socketType!]!,
    domains: list(cells.domains!),
    raw: cells,
  }));
}

/**
 * nodemailer rows, read as nodemailer behaves: `secure: true` or port 465 with `secure` unset is
 * implicit TLS; `ignoreTLS` is none; anything else is STARTTLS (required with `requireTLS`,
 * opportunistic otherwise). An empty port is 465 when secure, else 587. Port "465" as a string is 465.
 */
export function nodemailerRows(): CorpusRow[] {
  return read('nodemailer-services.tsv')
    .filter(({ cells }) => cells.host !== '')
    .map(({ line, cells }) => {
      const secure = cells.secure;
      const port = cells.port ? Number(cells.port) : secure === 'true' ? 465 : 587;
      const encryption: Encryption = secure === 'true' || (secure === '' && port === 465) ? 'ssl' : cells.ignoreTLS === 'true' ? 'none' : 'starttls';
      return {
        file: 'nodemailer-services.tsv' as const,
        line,
        ref: `corpus:nodemailer-services.tsv:L${line}`,
        host: cells.host!.toLowerCase(),
        port,
        encryption,
        domains: list(cells.domains!),
        raw: cells,
      };
    });
}
