// Bundles the CLI into one CommonJS file (dist/bundle/mailcheck.cjs; its own folder, apart from tsc's dist/cli): loading ~90 small ES modules
// (yaml, commander, our own) costs more than Node's whole start-up. Heavy dependencies of the
// online commands stay external and are required lazily by those commands only.
import { build } from 'rolldown';
import { join } from 'node:path';

export default async function buildCli(root) {
  await build({
    input: join(root, 'src', 'cli', 'main.ts'),
    platform: 'node',
    external: [/^node:/, 'nodemailer', 'prom-client', /^nodemailer\//, 'smtp-server', 'listr2', 'dns-packet', 'ajv', /^ajv\/(?!dist\/runtime)/, 'ajv-formats', 'rolldown', 'vitest'],
    output: {
      dir: join(root, 'dist', 'bundle'),
      format: 'cjs',
      entryFileNames: 'mailcheck.cjs',
      chunkFileNames: '[name]-[hash].cjs',
      dynamicImportInCjs: false,
      minify: true,
    },
    logLevel: 'warn',
  });
}
