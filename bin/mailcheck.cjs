#!/usr/bin/env node
'use strict';
// Start-up matters (`mailcheck lint` runs in every CI job): the CLI is one CommonJS bundle,
// compiled with a V8 code cache made at build time (scripts/build-cli.mjs). A cache that does
// not fit this Node/V8 is rejected by V8 and the bundle is simply compiled as usual.
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');

const file = path.join(__dirname, '..', 'dist', 'cli', 'mailcheck.cjs');
const cacheFile = `${file}.cache`;
let source;
try {
  source = fs.readFileSync(file, 'utf8');
} catch {
  process.stderr.write('mailcheck: the CLI is not built; run `npm run build` (or `npm install`) in the package folder\n');
  process.exit(2);
}
let cachedData;
try {
  cachedData = fs.readFileSync(cacheFile);
} catch {
  cachedData = undefined;
}
const script = new vm.Script(Module.wrap(source), {
  filename: file,
  cachedData,
  importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
});
const mod = { exports: {} };
script.runInThisContext()(mod.exports, Module.createRequire(file), mod, file, path.dirname(file));
if (process.env.MAILCHECK_WRITE_CODE_CACHE === '1') {
  process.on('exit', () => fs.writeFileSync(cacheFile, script.createCachedData()));
}
mod.exports.runMain();
