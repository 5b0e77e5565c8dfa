// Bundles the CLI into one CommonJS file (dist/bundle/mailcheck.cjs; its own folder, apart from tsc's dist/cli): loading ~90 small ES modules
// (yaml, commander, our own) costs more than Node's whole start-up. Heavy dependencies of the
// online commands stay external and are required lazily by those commands only.
import { build } from 'rolldown';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * commander requires `node:child_process` at load for its executable subcommands, which mailcheck
 * does not use; loading it pulls in net, dgram and the stream stack (~5 ms of every start-up,
 * `lint` included). This rewrites that one require into a getter run on first use.
 */
const lazyChildProcess = {
  name: 'lazy-child-process',
  transform(code, id) {
    if (!/[\\/]commander[\\/]lib[\\/]command\.js$/.test(id)) return null;
    const eager = "const childProcess = require('node:child_process');";
    if (!code.includes(eager)) throw new Error(`commander changed: ${eager} not found in ${id}; update scripts/build-cli.mjs`);
    return code.replace(eager, "const childProcess = { spawn: (...a) => require('node:child_process').spawn(...a) };");
  },
};

export default async function buildCli(root) {
  await build({
    input: join(root, 'src', 'cli', 'main.ts'),
    platform: 'node',
    plugins: [lazyChildProcess],
    external: [/^node:/, 'nodemailer', 'prom-client', /^nodemailer\//, 'smtp-server', 'listr2', 'dns-packet', 'ajv', /^ajv\/(?!dist\/runtime)/, 'ajv-formats', 'rolldown', 'vitest', 'oidc-provider'],
    output: {
      dir: join(root, 'dist', 'bundle'),
      format: 'cjs',
      entryFileNames: 'mailcheck.cjs',
      chunkFileNames: '[name]-[hash].cjs',
      dynamicImportInCjs: false,
      // MAILCHECK_NO_MINIFY=1 npm run build: readable function names in --cpu-prof profiles
      minify: !process.env.MAILCHECK_NO_MINIFY,
    },
    logLevel: 'warn',
  });
  asciiOnly(join(root, 'dist', 'bundle'));
}

/**
 * V8 keeps a source with any non-ASCII character (an arrow or an ellipsis in a message) as a
 * two-byte string: twice the bytes to decode at every start-up and to scan for each lazily
 * compiled function. Each such UTF-16 unit becomes a \uXXXX escape, which means the same in a
 * string, a template, a regular expression (surrogate pairs included) and an identifier; the
 * bundle has no String.raw, the one place where it would not (checked here).
 */
function asciiOnly(dir) {
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.cjs')) continue;
    const file = join(dir, name);
    const text = readFileSync(file, 'utf8');
    if (!/[^\x00-\x7f]/.test(text)) continue;
    if (text.includes('String.raw')) throw new Error(`${name} uses String.raw: its non-ASCII characters cannot be escaped safely`);
    writeFileSync(file, text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
  }
}
