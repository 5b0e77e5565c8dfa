/**
 * The schema as SchemaStore would take it (schemastore/: the catalog entry and positive
 * and negative test files in SchemaStore's own layout, src/test/<name>/ and
 * src/negative_test/<name>/). Validated the way SchemaStore validates: ajv, draft-07, strict, with
 * `markdownDescription` as an annotation keyword.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = join(import.meta.dirname, '..', '..');
const store = join(root, 'schemastore');
const schema = JSON.parse(readFileSync(join(root, 'schema', 'mail.schema.json'), 'utf8')) as Record<string, any>;

const ajv = new Ajv({ allErrors: true, strict: true });
ajv.addKeyword({ keyword: 'markdownDescription', schemaType: 'string' });
const validate = ajv.compile(schema);

const filesIn = (dir: string): { name: string; data: unknown }[] =>
  readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .map((name) => ({ name, data: parse(readFileSync(join(dir, name), 'utf8')) as unknown }));
const positives = filesIn(join(store, 'src', 'test', 'mailcheck'));
const negatives = filesIn(join(store, 'src', 'negative_test', 'mailcheck'));

describe('SchemaStore readiness', () => {
  it('the catalog entry has what SchemaStore asks for, and its fileMatch takes mail.yaml files only', () => {
    const entry = JSON.parse(readFileSync(join(store, 'catalog-entry.json'), 'utf8')) as Record<string, unknown>;
    expect(Object.keys(entry).sort()).toEqual(['description', 'fileMatch', 'name', 'url']);
    expect(entry.url).toMatch(/^https:\/\/unpkg\.com\/mailcheck-cli\/schema\/mail\.schema\.json$/);
    // a fileMatch without a slash matches a file's name in any folder (yaml-language-server, VS Code)
    const globs = (entry.fileMatch as string[]).map((g) => new RegExp(`^${g.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`));
    const match = (path: string): boolean => globs.some((re) => re.test(path.split('/').pop() ?? ''));
    for (const yes of ['mail.yaml', 'mail.yml', 'deploy/mail.yaml', 'staging.mail.yaml', 'config/prod.mail.yml']) expect(match(yes), yes).toBe(true);
    for (const no of ['email.yaml', 'gmail.yaml', 'mail.json', 'mail.yaml.bak', 'action.yml']) expect(match(no), no).toBe(false);
  });

  it('every positive test file is valid', () => {
    expect(positives.length).toBeGreaterThanOrEqual(3);
    for (const { name, data } of positives) expect(validate(data) ? [] : validate.errors, name).toEqual([]);
  });

  it('every negative test file is invalid, each for its one reason', () => {
    const reasons: Record<string, string> = {
      'encryption-tls.yaml': 'enum',
      'misspelt-key.yaml': 'additionalProperties',
      'port-out-of-range.yaml': 'maximum',
      'no-profiles.yaml': 'minProperties',
      'wrong-version.yaml': 'const',
    };
    expect(negatives.map((n) => n.name).sort()).toEqual(Object.keys(reasons).sort());
    for (const { name, data } of negatives) {
      expect(validate(data), name).toBe(false);
      expect(validate.errors?.map((e: { keyword: string }) => e.keyword), name).toContain(reasons[name]);
    }
  });

  it('the positive tests use every top-level key and every profile key (SchemaStore coverage: test completeness)', () => {
    const used = new Set<string>();
    const walk = (v: unknown, path: string): void => {
      if (Array.isArray(v)) v.forEach((x) => walk(x, path));
      else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) (used.add(`${path}${k}`), walk(x, path === '' && k === 'profiles' ? 'profile.' : ''));
    };
    for (const { data } of positives) {
      walk(data, '');
      const file = data as { profiles?: Record<string, object>; defaults?: object };
      // `defaults` takes the same keys as a profile
      for (const p of [...Object.values(file.profiles ?? {}), file.defaults ?? {}]) for (const k of Object.keys(p)) used.add(`profile.${k}`);
    }
    const missing = [
      ...Object.keys(schema.properties).filter((k) => !used.has(k)),
      ...Object.keys(schema.definitions.profileFields.properties).filter((k) => !used.has(`profile.${k}`)),
    ];
    expect(missing).toEqual([]);
  });

  it('editors get help: a description on every property, examples on the fields people type, Markdown where a table helps', () => {
    const undescribed: string[] = [];
    const walk = (node: Record<string, any>, path: string): void => {
      for (const [k, sub] of Object.entries((node.properties ?? {}) as Record<string, Record<string, any>>)) {
        if (typeof sub.description !== 'string') undescribed.push(`${path}${k}`);
        walk(sub, `${path}${k}.`);
      }
      for (const key of ['items', 'additionalProperties'] as const) if (node[key] && typeof node[key] === 'object') walk(node[key], path);
    };
    walk(schema, '');
    for (const [name, def] of Object.entries(schema.definitions as Record<string, Record<string, any>>)) walk(def, `#${name}.`);
    expect(undescribed).toEqual([]);
    const pf = schema.definitions.profileFields.properties;
    for (const k of ['preset', 'host', 'port', 'encryption']) expect(pf[k].examples, k).toBeInstanceOf(Array);
    expect(pf.auth.properties.username.examples).toBeInstanceOf(Array);
    expect(pf.port.markdownDescription).toContain('| 465 |');
    // every example is itself valid where it stands
    const wrap = (field: string, value: unknown) => ({ version: 1, profiles: { p: { from: 'a@b.example', [field]: value } } });
    for (const k of ['preset', 'host', 'port', 'encryption', 'transport', 'charset'])
      for (const ex of pf[k].examples ?? []) expect(validate(wrap(k, ex)), `${k}: ${String(ex)}`).toBe(true);
  });
});
