/**
 * SPEC §7, issue "Hardening" class 9: a literal password never shows in a code frame (or any
 * output), however its key is written. The engine masks the value in the text every reporter
 * sees, found through the parsed document rather than by the key's spelling on the line.
 */
import { describe, expect, it } from 'vitest';
import { buildReport, lintSource } from '../../src/engine.ts';
import { REPORTERS } from '../../src/report/index.ts';
import { RULES } from '../../src/rules/index.ts';
import type { Reporter } from '../../src/types.ts';

const SECRET = 'Zq9-literal-Secret-77';
const head = 'version: 1\nprofiles:\n  p:\n    host: smtp.example.org\n    port: 587\n    encryption: starttls\n    from: { address: app@example.org }\n';

const spellings: Record<string, string> = {
  plain: `    auth:\n      method: login\n      username: app@example.org\n      password: ${SECRET}\n`,
  'value on the next line': `    auth:\n      method: login\n      username: app@example.org\n      password:\n        ${SECRET}\n`,
  'escaped key': `    auth:\n      method: login\n      username: app@example.org\n      "pass\\x77ord": ${SECRET}\n`,
  'explicit complex key': `    auth:\n      method: login\n      username: app@example.org\n      ? password\n      : ${SECRET}\n`,
  'flow key with its colon on the next line': `    auth: { method: login, username: app@example.org, "password"\n      : "${SECRET}" }\n`,
  'single-quoted over two lines': `    auth:\n      method: login\n      username: app@example.org\n      password: '${SECRET.slice(0, 8)}\n        ${SECRET.slice(8)}'\n`,
  'block scalar': `    auth:\n      method: login\n      username: app@example.org\n      password: |\n        ${SECRET}\n`,
};

describe('a literal secret never reaches a report', () => {
  it.each(Object.entries(spellings))('%s', (_name, auth) => {
    const file = lintSource('mail.yaml', head + auth);
    // the rule still finds it (the mask is for showing, not for linting)
    expect(file.diagnostics.map((d) => d.ruleId)).toContain('plaintext-secret');
    const report = buildReport([file]);
    for (const [format, reporter] of Object.entries(REPORTERS as Record<string, Reporter>)) {
      const out = reporter(report, { color: false, rules: RULES.map((r) => r.meta), quiet: false });
      expect(out, format).not.toContain(SECRET);
      expect(out, format).not.toContain(SECRET.slice(0, 10));
    }
    // positions do not move: the masked text has the same lines
    expect(file.source!.split('\n').length).toBe((head + auth).split('\n').length);
  });

  it('a reference is shown as written (it is not a secret)', () => {
    const file = lintSource('mail.yaml', `${head}    auth: { method: login, username: app@example.org, password: "\${SMTP_PASSWORD}" }\n`);
    expect(file.source).toContain('${SMTP_PASSWORD}');
  });
});
