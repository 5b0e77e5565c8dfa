/**
 * The README's reference tables, generated from the registries (every list is declared once:
 * in src/rules/index.ts, src/checks/index.ts, src/render/index.ts). `npm run docs` rewrites them;
 * test/docs.test.ts fails when one is stale.
 */
import { CHECKS } from '../../src/checks/index.ts';
import { RENDERERS, TARGET_IDS } from '../../src/render.ts';
import { FORMATS } from '../../src/report/index.ts';
import { RULES } from '../../src/rules/index.ts';

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const SEVERITY_WORD = { error: 'error', warning: 'warn', info: 'info', off: 'off' } as const;

export const TABLES: Record<string, () => string> = {
  formats: () => `Formats: ${FORMATS.map((f) => `\`${f}\``).join(', ')} (\`--format\`; the first is the default).`,
  rules: () =>
    [
      '| id | default | `--fix` | fires when |',
      '| --- | --- | --- | --- |',
      ...RULES.map((r) => `| \`${r.meta.id}\` | ${SEVERITY_WORD[r.meta.severity]} | ${r.meta.fixable ? 'some' : ''} | ${cell(r.meta.description)} |`),
    ].join('\n'),
  checks: () =>
    [
      '| id | pass | warn | fail | skip |',
      '| --- | --- | --- | --- | --- |',
      ...CHECKS.map((c) => {
        const o = c.meta.outcomes;
        return `| \`${c.meta.id}\` |${[o.pass, o.warn, o.fail, o.skip].map((t) => (t ? ` ${cell(t)} |` : ' |')).join('')}`;
      }),
    ].join('\n'),
  targets: () =>
    [
      '| target | app | writes | XOAUTH2 | cannot express (warned when a profile uses it) | versions that read it differently (`--target-version`) |',
      '| --- | --- | --- | --- | --- | --- |',
      ...TARGET_IDS.map((id) => {
        const m = RENDERERS[id]!.meta;
        const status = m.status === 'verified' ? '' : ` (${m.status})`;
        const versions = m.versions.map((v) => `${v.range}: ${v.reads}`).join('; ');
        const xoauth2 = `${m.xoauth2.support}: ${m.xoauth2.note}`;
        return `| \`${id}\` | ${cell(m.title)}${status} | ${cell(m.writes)} | ${cell(xoauth2)} | ${cell(m.cannotExpress.join('; ')) || '—'} | ${cell(versions) || '—'} |`;
      }),
    ].join('\n'),
};

/** The markers around a generated table in the README. */
export function markers(name: string): [string, string] {
  return [`<!-- generated:${name} -->`, `<!-- /generated:${name} -->`];
}

/** `text` with every generated table replaced by its current form. */
export function regenerate(text: string): string {
  let out = text;
  for (const [name, table] of Object.entries(TABLES)) {
    const [open, close] = markers(name);
    const start = out.indexOf(open);
    const end = out.indexOf(close);
    if (start < 0 || end < start) throw new Error(`README.md needs ${open} … ${close}`);
    out = `${out.slice(0, start + open.length)}\n${table()}\n${out.slice(end)}`;
  }
  return out;
}
