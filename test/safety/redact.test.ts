import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodingsOf, REDACTED, Redactor } from '../../src/safety/redact.ts';
import { outsideText } from '../../src/safety/sanitize.ts';
import { REPORTERS } from '../../src/report/index.ts';
import type { Report, Reporter } from '../../src/types.ts';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const anyChar = fc.string({ minLength: 1, maxLength: 1, unit: 'binary' });

/** Ways a server or a library could hand a secret back, computed independently of the redactor. */
const embeddings: Array<[string, (secret: string, user: string) => string]> = [
  ['raw', (s) => s],
  ['base64', (s) => b64(s)],
  ['base64url', (s) => Buffer.from(s).toString('base64url')],
  ['SASL PLAIN', (s, u) => b64(`\0${u}\0${s}`)],
  ['SASL PLAIN with authzid', (s, u) => b64(`${u}\0${u}\0${s}`)],
  ['LOGIN', (s) => b64(s)],
  ['XOAUTH2', (s, u) => b64(`user=${u}\x01auth=Bearer ${s}\x01\x01`)],
  ['URL', (s) => encodeURIComponent(s)],
  ['form', (s) => encodeURIComponent(s).replace(/%20/g, '+')],
  ['JSON', (s) => JSON.stringify(s).slice(1, -1)],
  ['hex', (s) => Buffer.from(s).toString('hex')],
];

/** Does `text` still show the secret in one of the embeddings (its secret-only part)? */
function leaks(text: string, secret: string): boolean {
  if (text.includes(secret)) return true;
  if (text.includes(encodeURIComponent(secret)) || text.includes(Buffer.from(secret).toString('hex'))) return true;
  // base64 of the secret at any of the three alignments: the characters that depend on it alone
  for (let k = 0; k < 3; k++) {
    const full = Buffer.concat([Buffer.alloc(k), Buffer.from(secret)]).toString('base64').replace(/=+$/, '');
    const core = full.slice(Math.ceil((8 * k) / 6), Math.floor((8 * (k + Buffer.byteLength(secret))) / 6));
    if (core.length >= 8 && text.includes(core)) return true;
  }
  return false;
}

const secretArb = fc.string({ minLength: 6, maxLength: 64, unit: fc.oneof(fc.constantFrom(...'abcdefXYZ0189+/=_-@" :%\\ü€'.split('')), anyChar) }).filter((s) => s.trim().length >= 6);
const userArb = fc.constantFrom('app@example.org', 'u', 'billing@acme.example');
const noise = fc.string({ maxLength: 40 });

describe('the redactor (SPEC §7)', () => {
  it('hides every embedding of a random secret, whatever surrounds it', () => {
    fc.assert(
      fc.property(secretArb, userArb, noise, noise, fc.constantFrom(...embeddings), (secret, user, pre, post, [, embed]) => {
        const r = new Redactor();
        r.add(secret);
        const out = r.redact(`535 5.7.8 ${pre}${embed(secret, user)}${post}`);
        expect(leaks(out, secret)).toBe(false);
      }),
      { numRuns: 400 },
    );
  });

  it('leaves text without the secret alone', () => {
    fc.assert(
      fc.property(secretArb, noise, (secret, text) => {
        fc.pre(!encodingsOf(secret).some((e) => text.includes(e)));
        const r = new Redactor();
        r.add(secret);
        expect(r.redact(text)).toBe(text);
      }),
      { numRuns: 200 },
    );
  });

  it('redactDeep reaches keys, nested values and arrays', () => {
    const r = new Redactor();
    r.add('topsecret-value');
    expect(r.redactDeep({ a: ['x topsecret-value y', { ['topsecret-value']: 1 }], n: 3 })).toEqual({ a: [`x ${REDACTED} y`, { [REDACTED]: 1 }], n: 3 });
  });

  it('redactDeep hides every secret however deep, and returns a value that holds none as it is', () => {
    const secret = 'Pa55-w0rd!';
    const r = new Redactor();
    r.add(secret);
    const leaf = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom(secret, `x${secret}y`, Buffer.from(secret).toString('base64')), fc.integer(), fc.constant(null));
    const tree = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('node'), { maxLength: 4 }), fc.dictionary(fc.oneof(fc.string({ maxLength: 6 }), fc.constant(secret)), tie('node'), { maxKeys: 4 })),
    })).node;
    fc.assert(
      fc.property(tree, (value) => {
        const before = JSON.stringify(value);
        const out = r.redactDeep(value);
        const shown = JSON.stringify(out) ?? '';
        expect(shown).not.toContain(secret);
        expect(shown).not.toContain(Buffer.from(secret).toString('base64'));
        expect(JSON.stringify(value)).toBe(before); // the input is never changed
        if (!before?.includes(secret) && !before?.includes(Buffer.from(secret).toString('base64'))) expect(out).toBe(value);
      }),
      { numRuns: 300 },
    );
  });
});

describe('the sanitiser (SPEC §7: outside text cannot steer the reader)', () => {
  const hostile = fc.string({ maxLength: 80, unit: fc.oneof(anyChar, fc.constantFrom('\n', '\r', '\u001b', '\u009b', '\u2028', '\u2029', '\u202e', '\u0085', '\u0000', '::warning::', '::error file=x::')) });

  it('outsideText never leaves a line break or a control character', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const out = outsideText(text);
        expect(out).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
      }),
      { numRuns: 500 },
    );
  });

  it('in every line-oriented format, no output line begins with text from outside', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const marked = `${text}\n::warning::INJECTED`;
        const report: Report = {
          version: 1,
          tool: { name: 'mailcheck', version: '0' },
          files: [
            {
              path: 'mail.yaml',
              source: 'version: 1\n',
              diagnostics: [{ ruleId: 'schema', severity: 'error', messageId: 'x', message: marked, hint: marked, line: 1, column: 1, endLine: 1, endColumn: 2, pointer: '/version', profile: marked }],
              checks: [{ id: 'dns.dmarc', profile: marked, status: 'fail', messageId: 'x', message: marked, hint: marked, durationMs: 1 }],
            },
          ],
          summary: { errors: 1, warnings: 0, infos: 0, checks: { pass: 0, warn: 0, fail: 1, skip: 0 } },
        };
        for (const [format, reporter] of Object.entries(REPORTERS as Record<string, Reporter>)) {
          const out = reporter(report, { color: false, rules: [], quiet: false });
          for (const line of out.split('\n')) expect(line.startsWith('::warning::INJECTED'), `${format}: ${line}`).toBe(false);
          expect(out, format).not.toContain('\u001b');
        }
      }),
      { numRuns: 100 },
    );
  });
});
