import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { describe, expect, it } from 'vitest';
import { dotenv, encodedWord, percentEncode, propertiesValue, pythonString, shellWord } from '../../src/render/escape.ts';

const VALUES = [
  'plain',
  '',
  `p@ss$w'o"r%d #1`,
  'with space',
  'back\\slash',
  '${NOT_EXPANDED}',
  'ünï©ødé',
  "it's",
  '"quoted"',
  'tab\there',
  '=equals=',
];

const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

describe('dotenv', () => {
  it('node flavor round-trips through util.parseEnv (what --env-file reads)', () => {
    for (const v of VALUES) expect(parseEnv(`K=${dotenv(v, 'node')}`).K ?? '').toBe(v);
  });

  it('single-quotes anything with $ so no flavor expands it', () => {
    for (const flavor of ['php', 'ruby', 'compose', 'node'] as const) {
      expect(dotenv('a$b', flavor)).toBe("'a$b'");
    }
  });

  it("escapes $ per flavor when the value also holds '", () => {
    expect(dotenv(`it's $5`, 'php')).toBe(`"it's \\$5"`);
    expect(dotenv(`it's $5`, 'ruby')).toBe(`"it's \\$5"`);
    expect(dotenv(`it's $5`, 'compose')).toBe(`"it's $$5"`);
    expect(dotenv(`it's "$5"`, 'node')).toBe(`\`it's "$5"\``);
  });

  it('never ends a compose single-quoted value with a backslash', () => {
    expect(dotenv('a b\\', 'compose')).toBe('"a b\\\\"');
  });

  it('refuses line breaks and values no node quote can hold', () => {
    expect(() => dotenv('a\nb', 'php')).toThrow(expect.objectContaining({ code: 'E_RENDER_VALUE' }));
    expect(() => dotenv(`'"\``, 'node')).toThrow(expect.objectContaining({ code: 'E_RENDER_VALUE' }));
  });
});

describe('other formats', () => {
  it('percent-encodes URL user info (decodeURIComponent reverses it)', () => {
    for (const v of VALUES) expect(decodeURIComponent(percentEncode(v))).toBe(v);
    expect(percentEncode('a@b:c/d%')).toBe('a%40b%3Ac%2Fd%25');
  });

  it('shell words survive sh', () => {
    for (const v of VALUES) {
      expect(execFileSync('sh', ['-c', `printf %s ${shellWord(v)}`], { encoding: 'utf8' })).toBe(v);
    }
  });

  it('RFC 2047 encoded words carry non-ASCII names; ASCII is a quoted string', () => {
    const w = encodedWord('Zoë');
    expect(w).toMatch(/^=\?UTF-8\?B\?(.+)\?=$/);
    expect(Buffer.from(/\?B\?(.+)\?=/.exec(w)![1]!, 'base64').toString('utf8')).toBe('Zoë');
    expect(encodedWord('Acme "X"')).toBe('"Acme \\"X\\""');
  });

  it.skipIf(!has('python3'))('python literals round-trip through python3', () => {
    const src = `import json,sys\nprint(json.dumps([${VALUES.map(pythonString).join(', ')}]))`;
    expect(JSON.parse(execFileSync('python3', ['-c', src], { encoding: 'utf8' }))).toEqual(VALUES);
  });

  it.skipIf(!has('java'))('.properties values round-trip through java.util.Properties', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailcheck-props-'));
    try {
      const props = VALUES.map((v, i) => `k${i}=${propertiesValue(v)}`).join('\n');
      writeFileSync(join(dir, 'a.properties'), props, 'latin1');
      writeFileSync(
        join(dir, 'Read.java'),
        `import java.io.*; import java.util.*;
public class Read { public static void main(String[] a) throws Exception {
  Properties p = new Properties(); try (InputStream in = new FileInputStream(a[0])) { p.load(in); }
  PrintStream out = new PrintStream(System.out, true, "UTF-8");
  for (int i = 0; i < ${VALUES.length}; i++) { String v = p.getProperty("k" + i); StringBuilder b = new StringBuilder();
    for (char c : v.toCharArray()) b.append(String.format("%04x", (int) c)); out.println(b); } } }`,
      );
      const lines = execFileSync('java', [join(dir, 'Read.java'), join(dir, 'a.properties')], { encoding: 'utf8' }).trim().split('\n');
      const decoded = lines.map((hex) => String.fromCharCode(...(hex.match(/.{4}/g) ?? []).map((h) => parseInt(h, 16))));
      expect(decoded).toEqual(VALUES);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
