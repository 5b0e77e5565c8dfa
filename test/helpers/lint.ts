import { lintSource, type LintOptions } from '../../src/engine.ts';
import type { Diagnostic } from '../../src/types.ts';

/** Lints YAML text as mail.yaml and returns its diagnostics. */
export function lintText(text: string, options: LintOptions = {}): Diagnostic[] {
  return lintSource('mail.yaml', text, options).diagnostics;
}

/** The diagnostics of one rule, reduced to what tests assert: rule id and position. */
export function positions(text: string, ruleId: string, options: LintOptions = {}): { ruleId: string; line: number; column: number }[] {
  return lintText(text, options)
    .filter((d) => d.ruleId === ruleId)
    .map((d) => ({ ruleId: d.ruleId, line: d.line, column: d.column }));
}

/** A minimal valid profile body, indented for `profiles.<name>:`; `extra` lines are appended. */
export function profile(lines: string[] = [], base: Record<string, string> = {}): string {
  const fields: Record<string, string> = {
    host: 'smtp.acme.example',
    port: '587',
    encryption: 'starttls',
    ...base,
  };
  const head = Object.entries(fields)
    .filter(([, v]) => v !== '')
    .map(([k, v]) => `    ${k}: ${v}`);
  return ['version: 1', 'profiles:', '  prod:', ...head, '    from: { address: app@acme.example }', ...lines.map((l) => `    ${l}`), ''].join('\n');
}
