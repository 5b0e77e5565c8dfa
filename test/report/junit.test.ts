import { describe, expect, it } from 'vitest';
import { junit } from '../../src/report/junit.ts';
import type { Report } from '../../src/types.ts';
import { options, report, SERVER_REPLY } from './fixture.ts';

interface Element {
  name: string;
  attrs: Record<string, string>;
  children: Element[];
  text: string;
}

const ENTITY = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" } as const;

function decode(text: string): string {
  return text.replace(/&(#x[0-9A-Fa-f]+|#[0-9]+|amp|lt|gt|quot|apos);/g, (_, e: string) =>
    e.startsWith('#x') ? String.fromCodePoint(parseInt(e.slice(2), 16)) : e.startsWith('#') ? String.fromCodePoint(Number(e.slice(1))) : ENTITY[e as keyof typeof ENTITY],
  );
}

/**
 * A small, strict reader for the XML our reporter writes (no parser dependency): a declaration,
 * then balanced elements with double-quoted attributes and text. Throws on anything else — a raw
 * `<` or `&` in text, an unterminated tag, a mismatched close, a character XML 1.0 forbids.
 */
function parseXml(xml: string): Element {
  if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(xml)) {
    throw new Error('character not allowed in XML 1.0');
  }
  const decl = /^<\?xml version="1\.0" encoding="UTF-8"\?>\n/.exec(xml);
  if (!decl) throw new Error('missing XML declaration');
  const root: Element = { name: '#document', attrs: {}, children: [], text: '' };
  const stack: Element[] = [root];
  const token = /<(\/?)([A-Za-z][\w.-]*)((?:\s+[A-Za-z][\w.-]*="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  token.lastIndex = decl[0].length;
  while (token.lastIndex < xml.length) {
    const at = token.lastIndex;
    const m = token.exec(xml);
    if (!m || m.index !== at) throw new Error(`not well-formed at offset ${at}: ${JSON.stringify(xml.slice(at, at + 40))}`);
    const [, close, name, rawAttrs, selfClose, text] = m;
    const top = stack[stack.length - 1]!;
    if (text !== undefined) {
      if (/&(?!(#x[0-9A-Fa-f]+|#[0-9]+|amp|lt|gt|quot|apos);)/.test(text) || text.includes('>')) throw new Error(`bad text ${text}`);
      top.text += decode(text);
      continue;
    }
    if (close) {
      if (top.name !== name) throw new Error(`</${name}> closes <${top.name}>`);
      stack.pop();
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of (rawAttrs ?? '').matchAll(/([A-Za-z][\w.-]*)="([^"]*)"/g)) {
      if (a[1]! in attrs) throw new Error(`duplicate attribute ${a[1]}`);
      if (/&(?!(#x[0-9A-Fa-f]+|#[0-9]+|amp|lt|gt|quot|apos);)/.test(a[2]!) || /['>\n\t]/.test(a[2]!)) throw new Error(`bad attribute ${a[2]}`);
      attrs[a[1]!] = decode(a[2]!);
    }
    const el: Element = { name: name!, attrs, children: [], text: '' };
    top.children.push(el);
    if (!selfClose) stack.push(el);
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1]!.name}>`);
  const elements = root.children;
  if (elements.length !== 1 || root.text.trim() !== '') throw new Error('one root element expected');
  return elements[0]!;
}

const all = (el: Element, name: string): Element[] => [
  ...el.children.filter((c) => c.name === name),
  ...el.children.flatMap((c) => all(c, name)),
];

describe('junit', () => {
  const xml = junit(report, options());
  const root = parseXml(xml);

  it('is well-formed', () => {
    expect(root.name).toBe('testsuites');
    expect(() => parseXml('<?xml version="1.0" encoding="UTF-8"?>\n<a><b></a>')).toThrow();
    expect(() => parseXml('<?xml version="1.0" encoding="UTF-8"?>\n<a>x & y</a>')).toThrow();
  });

  it('has a lint suite per file and a checks suite per file with checks', () => {
    expect(root.children.map((s) => s.attrs.name)).toEqual(['mail.yaml', 'mail.yaml (checks)', 'sites/eu,west: 100%/empty.mail.yaml']);
    const checks = root.children[1]!;
    expect(checks.children.map((c) => [c.attrs.classname, c.attrs.name])).toEqual([
      ['mail.yaml#production', 'dns.host'],
      ['mail.yaml#production', 'dns.mx'],
      ['mail.yaml#production', 'tls.handshake'],
      ['mail.yaml#production', 'smtp.auth'],
      ['mail.yaml#production', 'smtp.envelope'],
      ['mail.yaml#staging', 'dns.host'],
      ['mail.yaml#staging', 'http.endpoint'],
    ]);
  });

  it('counts tests, failures and skipped in every suite and in total', () => {
    for (const suite of root.children) {
      expect(Number(suite.attrs.tests)).toBe(all(suite, 'testcase').length);
      expect(Number(suite.attrs.failures)).toBe(all(suite, 'failure').length);
      expect(Number(suite.attrs.skipped)).toBe(all(suite, 'skipped').length);
      expect(suite.attrs.errors).toBe('0');
    }
    expect(root.attrs).toMatchObject({ name: 'mailcheck', tests: '15', failures: '6', skipped: '2', errors: '0' });
    expect(Number(root.attrs.tests)).toBe(all(root, 'testcase').length);
  });

  it('fails error diagnostics with message, type=ruleId and location; warnings and infos pass with system-out', () => {
    const lint = root.children[0]!;
    const port = lint.children.find((c) => c.attrs.name === 'port-encryption-mismatch 7:11')!;
    expect(port.attrs).toMatchObject({ classname: 'mail.yaml', file: 'mail.yaml', line: '7' });
    const failure = port.children[0]!;
    expect(failure.name).toBe('failure');
    expect(failure.attrs).toEqual({ message: 'port 465 expects encryption: ssl, got starttls', type: 'port-encryption-mismatch' });
    expect(failure.text).toContain('error at mail.yaml:7:11 (/profiles/production/port)');
    expect(failure.text).toContain('hint: set `encryption: ssl`');
    const tls = lint.children.find((c) => c.attrs.name === 'tls-verify-disabled 14:20')!;
    expect(tls.children.map((c) => c.name)).toEqual(['system-out']);
  });

  it('maps check statuses: fail → failure, skip → skipped, warn → system-out, pass → empty', () => {
    const cases = root.children[1]!.children;
    const kinds = cases.map((c) => c.children.map((k) => k.name).join(','));
    expect(kinds).toEqual(['', 'system-out', '', 'failure', 'skipped', '', 'skipped']);
    expect(cases[3]!.attrs.time).toBe('0.230');
  });

  it('escapes markup and quotes, and replaces control characters XML forbids', () => {
    const failure = root.children[1]!.children[3]!.children[0]!;
    expect(xml).toContain("&lt;x@y&gt; &amp; &quot;q&quot; &apos;a&apos; ␛[31mred␇");
    expect(failure.attrs.message).toBe(SERVER_REPLY.replace('\u001b', '␛').replace('\u0007', '␇'));
    const nasty = `a\u0000b\u000Bc\uFFFEd\uD800e\rf\u0085g\u202Eh\tI\nJ`;
    const r: Report = {
      ...report,
      files: [{ path: 'n<&>.yaml', diagnostics: [], checks: [{ id: 'smtp.auth', profile: 'p"\'', status: 'fail', messageId: 'fixture', message: nasty, durationMs: 1 }] }],
    };
    const out = junit(r, options());
    const doc = parseXml(out);
    const f = all(doc, 'failure')[0]!;
    expect(f.attrs.message).toBe('a␀b␋c\uFFFDd\uFFFDe\rf\u0085g\u202Eh\tI\nJ');
    expect(out).toContain('message="a␀b␋c\uFFFDd\uFFFDe&#xD;f&#x85;g&#x202E;h&#9;I&#10;J"');
    expect(doc.children[0]!.attrs.name).toBe('n<&>.yaml');
  });

  it('gives a clean file one passing lint case', () => {
    const doc = parseXml(junit({ ...report, files: [{ path: 'ok.yaml', diagnostics: [], checks: [] }] }, options()));
    expect(doc.attrs).toMatchObject({ tests: '1', failures: '0', skipped: '0' });
    expect(all(doc, 'testcase')[0]!.attrs.name).toBe('lint');
  });

  it('quiet keeps failures only', () => {
    const doc = parseXml(junit(report, options({ quiet: true })));
    expect(all(doc, 'system-out')).toHaveLength(0);
    expect(all(doc, 'skipped')).toHaveLength(0);
    expect(doc.attrs).toMatchObject({ tests: '6', failures: '6' });
  });
});
