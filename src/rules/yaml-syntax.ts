import type { Rule } from '../types.ts';

export const rule: Rule = {
  meta: {
    id: 'yaml-syntax',
    severity: 'error',
    description: 'The file is not valid YAML, has duplicate keys, is over 1 MiB, is not UTF-8, nests too deep, holds too many values, or expands too many aliases.',
    rationale: 'A file that does not parse cleanly means something else to every tool that reads it; duplicate keys silently drop a value.',
    fix: 'Fix the YAML at the position shown: indent with spaces (not tabs), keep each key once, save as UTF-8.',
    example: { bad: 'profiles:\n  prod:\n    port: 587\n    port: 465', good: 'profiles:\n  prod:\n    port: 465' },
    messages: {
      syntax: '{{reason}}',
      syntaxRef: '{{reason}}',
      syntaxTab: '{{reason}}',
      tooLarge: 'the file is {{size}} MiB; a mail.yaml may be at most 1 MiB',
      notUtf8: 'the file is not UTF-8 (invalid byte {{byte}})',
      binary: 'the file contains NUL bytes; it looks like a binary file, not YAML',
      aliasBomb: 'the document uses or expands too many aliases (more than 100); this looks like an alias bomb',
      tooDeep: 'the file nests deeper than {{limit}} levels; a mail.yaml needs fewer than 10',
      tooManyNodes: 'the file holds more than {{limit}} values; a mail.yaml needs a few hundred',
      complexKey: 'a key must be a plain string, not a list or a mapping',
    },
    hints: {
      syntaxRef: 'inside { } or [ ], quote references: password: "${SMTP_PASSWORD}"',
      syntaxTab: 'indent with spaces; YAML does not allow tabs for indentation',
      notUtf8: 'save the file as UTF-8',
      aliasBomb: 'write the values out instead of nesting anchors and aliases',
      tooDeep: 'this is not a mail.yaml: see `mailcheck schema` for its shape',
      tooManyNodes: 'split it: lint reads every mail.yaml and *.mail.yaml under a folder',
    },
  },
  check(ctx) {
    return ctx.syntaxProblems.map((p) => ({ messageId: p.messageId, data: p.data, pointer: '', range: p.range, severity: p.severity }));
  },
};
