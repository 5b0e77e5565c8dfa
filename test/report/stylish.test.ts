import { describe, expect, it } from 'vitest';
import { stylish } from '../../src/report/stylish.ts';
import type { Diagnostic, FileResult, Report } from '../../src/types.ts';
import { LITERAL_SECRET, options, report } from './fixture.ts';

const ANSI = /\u001b\[[0-9;]*m/g;

function diag(over: Partial<Diagnostic> = {}): Diagnostic {
  return {
    ruleId: 'schema',
    messageId: 'fixture',
    severity: 'error',
    message: 'm',
    line: 1,
    column: 1,
    endLine: 1,
    endColumn: 2,
    pointer: '',
    ...over,
  };
}

function single(source: string | undefined, d: Partial<Diagnostic>): Report {
  const file: FileResult = { path: 'x.yaml', diagnostics: [diag(d)], checks: [] };
  if (source !== undefined) file.source = source;
  return {
    version: 1,
    tool: { name: 'mailcheck', version: '0.0.0' },
    files: [file],
    summary: { errors: 1, warnings: 0, infos: 0, checks: { pass: 0, warn: 0, fail: 0, skip: 0 } },
  };
}

/** The excerpt and caret lines printed under the only diagnostic of a one-file report. */
function frame(source: string | undefined, d: Partial<Diagnostic>): string[] {
  const lines = stylish(single(source, d), options()).split('\n');
  return lines.filter((l) => /^ {4}\s*\d* \|/.test(l));
}

describe('stylish', () => {
  it('matches the snapshot without colour', async () => {
    await expect(stylish(report, options())).toMatchFileSnapshot('./__snapshots__/stylish.txt');
  });

  it('prints no ANSI codes when color is off, even from an ESC in a server reply', () => {
    const out = stylish(report, options({ color: false }));
    expect(out).not.toContain('\u001b');
    expect(out).toContain('␛[31mred␇');
  });

  it('colours when color is on, without changing the layout', () => {
    const coloured = stylish(report, options({ color: true }));
    expect(coloured).toMatch(ANSI);
    expect(coloured.replace(ANSI, '')).toBe(stylish(report, options({ color: false })));
  });

  it('quiet shows errors and failed checks only', () => {
    const out = stylish(report, options({ quiet: true }));
    expect(out).not.toMatch(/\bwarning\b|\binfo\b/);
    expect(out).not.toContain('tls-verify-disabled');
    expect(out).not.toContain('dns.mx');
    expect(out).not.toContain('dns.host');
    expect(out).toContain('port-encryption-mismatch');
    expect(out).toContain('smtp.auth');
    expect(out).toContain('✖ 5 problems (5 errors, 0 warnings)');
    expect(out).toContain('checks: 1 failed\n');
  });

  it('never echoes a literal secret from the source', () => {
    const out = stylish(report, options());
    expect(out).not.toContain(LITERAL_SECRET);
    expect(out).toContain('11 |       password: [redacted]');
  });

  it('prints nothing for a clean run without checks', () => {
    const clean: Report = { ...report, files: [{ path: 'mail.yaml', source: 'version: 1\n', diagnostics: [], checks: [] }] };
    expect(stylish(clean, options())).toBe('');
  });

  it('never says "no problems" when a check failed, even with a clean file', () => {
    const failed: Report = {
      ...report,
      files: [{ path: 'mail.yaml', diagnostics: [], checks: [{ id: 'smtp.auth', profile: 'p', status: 'fail', messageId: 'rejected', message: 'refused', durationMs: 1 }] }],
      summary: { errors: 0, warnings: 0, infos: 0, checks: { pass: 0, warn: 0, fail: 1, skip: 0 } },
    };
    const out = stylish(failed, options());
    expect(out).not.toContain('no problems');
    expect(out).toContain('1 check failed');
  });

  it('shows a From domain\'s results once when several profiles share them (issue 12)', () => {
    const dkim = (profile: string) => ({ id: 'dns.dkim', profile, status: 'pass' as const, messageId: 'ok', message: 'acme.example publishes DKIM keys for google', durationMs: 1, details: { domain: 'acme.example' } });
    const auth = (profile: string) => ({ id: 'smtp.auth', profile, status: 'pass' as const, messageId: 'ok', message: `login for ${profile}`, durationMs: 1 });
    const shared: Report = { ...report, files: [{ path: 'mail.yaml', diagnostics: [], checks: [auth('a'), dkim('a'), auth('b'), dkim('b')] }] };
    const out = stylish(shared, options());
    expect(out.split('acme.example publishes DKIM keys').length - 1).toBe(1);
    expect(out).toContain('checks · domain acme.example');
    expect(out).toContain('(profiles a, b)');
    expect(out).toContain('login for a');
    expect(out).toContain('login for b');
  });

  it('says so when checks ran and nothing is wrong', () => {
    const ok: Report = {
      ...report,
      files: [
        {
          path: 'mail.yaml',
          diagnostics: [],
          checks: [{ id: 'dns.host', profile: 'p', status: 'pass', messageId: 'fixture', message: 'ok', durationMs: 1 }],
        },
      ],
    };
    const out = stylish(ok, options());
    expect(out).toContain('✔ no problems');
    expect(out).toContain('checks: 1 passed');
  });
});

describe('stylish source excerpt', () => {
  it('puts a caret at 1:1 of an empty file', () => {
    expect(frame('', { endColumn: 1 })).toEqual(['    1 |', '      | ^']);
  });

  it('skips the excerpt when the source is absent or the line is out of range', () => {
    expect(frame(undefined, {})).toEqual([]);
    expect(frame('a: 1\n', { line: 9, endLine: 9 })).toEqual([]);
  });

  it('spans the caret to endColumn on the same line, and to the line end across lines', () => {
    expect(frame('port: 465\n', { column: 7, endColumn: 10 })).toEqual(['    1 | port: 465', '      |       ^^^']);
    expect(frame('host: a\nport: 1\n', { column: 7, endLine: 2, endColumn: 8 })).toEqual([
      '    1 | host: a',
      '      |       ^',
    ]);
  });

  it('expands tabs and keeps the caret under the value', () => {
    const [text, caret] = frame('a:\tbad\n', { column: 4, endColumn: 7 });
    expect(text).toBe('    1 | a:  bad');
    expect(caret).toBe('      |     ^^^');
    expect(text!.indexOf('bad')).toBe(caret!.indexOf('^'));
  });

  it('drops the CR of CRLF lines and shows a lone CR', () => {
    expect(frame('a: 1\r\nb: 2\r\n', { line: 2, endLine: 2, column: 4, endColumn: 5 })).toEqual([
      '    2 | b: 2',
      '      |    ^',
    ]);
    expect(frame('a: x\ry\n', { column: 4, endColumn: 7 })[0]).toBe('    1 | a: x␍y');
  });

  it('makes control and bidi characters visible in the source', () => {
    const [text] = frame('a: "\u001b[2J\u202Eevil"\n', { column: 4, endColumn: 5 });
    expect(text).toBe('    1 | a: "␛[2J\uFFFDevil"');
  });

  it('cuts a very long line around the column, with ellipses on both sides', () => {
    const line = `k: ${'x'.repeat(300)}BAD${'y'.repeat(300)}`;
    const column = line.indexOf('BAD') + 1;
    const [text, caret] = frame(line, { column, endColumn: column + 3 });
    const body = text!.slice('    1 | '.length);
    expect(body.startsWith('…')).toBe(true);
    expect(body.endsWith('…')).toBe(true);
    expect(body.length).toBeLessThanOrEqual(100);
    expect(text!.indexOf('BAD')).toBe(caret!.indexOf('^^^'));
  });

  it('cuts a long line that ends near the column on the left only', () => {
    const line = `k: ${'x'.repeat(300)}BAD`;
    const column = line.indexOf('BAD') + 1;
    const [text, caret] = frame(line, { column, endColumn: column + 3 });
    expect(text!.startsWith('    1 | …')).toBe(true);
    expect(text!.endsWith('BAD')).toBe(true);
    expect(text!.indexOf('BAD')).toBe(caret!.indexOf('^^^'));
  });

  it('counts wide characters as two columns', () => {
    const [text, caret] = frame('name: 日本 bad\n', { column: 10, endColumn: 13 });
    expect(text).toBe('    1 | name: 日本 bad');
    // 日本 takes four terminal columns: the caret sits two columns right of the string index
    expect(caret).toBe(`      | ${' '.repeat(11)}^^^`);
  });

  it('redacts quoted, flow, multi-line and block secret values but keeps references', () => {
    const source = [
      'a:',
      '  password: "s3cr:et, x"  # note',
      '  auth: { method: login, password: plainpw, user: u }',
      '  apiKey: ${MAIL_API_KEY}',
      '  clientSecret: |',
      '    line-one',
      '    line-two',
      '  refreshToken: { env: TOKEN }',
      "  accessToken: 'multi",
      "    line'",
      '  host: smtp.example.com',
    ].join('\n');
    const out = stylish(
      {
        ...single(source, {}),
        files: [
          {
            path: 'x.yaml',
            source,
            diagnostics: Array.from({ length: 11 }, (_, i) => diag({ line: i + 1, endLine: i + 1, column: 3, endColumn: 4 })),
            checks: [],
          },
        ],
      },
      options(),
    );
    for (const secret of ['s3cr', 'plainpw', 'line-one', 'line-two', 'multi', "line'"]) expect(out).not.toContain(secret);
    expect(out).toContain('password: [redacted]  # note');
    expect(out).toContain('auth: { method: login, password: [redacted], user: u }');
    expect(out).toContain('apiKey: ${MAIL_API_KEY}');
    expect(out).toContain('refreshToken: { env: TOKEN }');
    expect(out).toContain('host: smtp.example.com');
  });

  it('moves the caret onto [redacted] when it points at a secret', () => {
    expect(frame('password: hunter2\n', { column: 11, endColumn: 18 })).toEqual([
      '    1 | password: [redacted]',
      '      |           ^^^^^^^^^^',
    ]);
  });
});
