// Compiles schema/mail.schema.json into a standalone ajv validator (src/generated/), so that
// `mailcheck lint` does not compile the schema at every start (ajv compilation costs ~20 ms).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';

export default async function buildSchema(root) {
  const schema = JSON.parse(readFileSync(join(root, 'schema', 'mail.schema.json'), 'utf8'));
  const ajv = new Ajv.default({ allErrors: true, strict: true, code: { source: true, esm: true, lines: false } });
  // an annotation for editors (VS Code shows it as Markdown), as SchemaStore's own ajv declares it
  ajv.addKeyword({ keyword: 'markdownDescription', schemaType: 'string' });
  const validate = ajv.compile(schema);
  // ajv's ESM standalone output still `require`s its runtime helpers; turn them into imports
  const helpers = [];
  const code = standaloneCode
    .default(ajv, validate)
    .replace(/require\("(ajv\/dist\/runtime\/[a-z0-9]+)"\)\.default/gi, (_, mod) => {
      const name = `runtime${helpers.length}`;
      // CommonJS interop differs between Node, vitest and the bundler: take the function either way
      helpers.push(`import ${name}m from '${mod}.js';\nconst ${name} = typeof ${name}m === 'function' ? ${name}m : ${name}m.default;`);
      return name;
    });
  // With allErrors, ajv appends a sub-schema's errors with `vErrors.concat(…)`, which copies every
  // error so far at each call: quadratic in a file with many profiles or list items (issue 8,
  // class 8). Append in place instead: nothing reads a sub-validator's `errors` after the append.
  const concat = /vErrors\.concat\((validate\d+)\.errors\)/g;
  const linear = code.replace(concat, (_, v) => `appendErrors(vErrors, ${v}.errors)`);
  if (/vErrors\.concat\(/.test(linear)) throw new Error('build-schema: an unexpected vErrors.concat() in the standalone validator');
  helpers.push('function appendErrors(to, more) {\n  for (let i = 0; i < more.length; i++) to.push(more[i]);\n  return to;\n}');
  if (/\brequire\(/.test(code)) throw new Error('build-schema: unexpected require() in the standalone validator');
  writeFileSync(join(root, 'src', 'generated', 'mail-validate.js'), `// generated from schema/mail.schema.json by scripts/build-schema.mjs — do not edit\n${helpers.join('\n')}\n${linear}\n`);
  writeFileSync(
    join(root, 'src', 'generated', 'mail-validate.d.ts'),
    `import type { ErrorObject } from 'ajv';\nexport interface Validate { (data: unknown): boolean; errors?: ErrorObject[] | null }\ndeclare const validate: Validate;\nexport { validate as default };\n`,
  );
}
