#!/usr/bin/env node
'use strict';
// Start-up matters (`mailcheck lint` runs in every CI job). The CLI is a CommonJS bundle
// (dist/cli/*.cjs, made by scripts/build-cli.mjs) whose files are compiled with V8 code caches
// recorded at build time, next to each file (`*.cjs.cache`). A cache that does not fit this
// Node/V8 is rejected by V8 and the file is simply compiled as usual. Only our own bundle files
// go through this; every other module loads the normal way.
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');

// `lint` is a short run that mostly parses: V8's optimising compiler costs more memory (~10 MiB
// on 1,000 files) than it saves time there.
if (process.argv[2] === 'lint') require('node:v8').setFlagsFromString('--no-opt');

const dir = path.join(__dirname, '..', 'dist', 'cli');
const entry = path.join(dir, 'mailcheck.cjs');
const record = process.env.MAILCHECK_WRITE_CODE_CACHE === '1';
const scripts = new Map();
const compile = Module.prototype._compile;

Module.prototype._compile = function compileWithCache(content, filename) {
  if (path.dirname(filename) !== dir) return compile.call(this, content, filename);
  let cachedData;
  try {
    cachedData = fs.readFileSync(`${filename}.cache`);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(Module.wrap(content), {
    filename,
    cachedData,
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  if (record) scripts.set(filename, script);
  const require = Module.createRequire(filename);
  return script.runInThisContext().call(this.exports, this.exports, require, this, filename, path.dirname(filename));
};

if (record) {
  process.on('exit', () => {
    for (const [filename, script] of scripts) fs.writeFileSync(`${filename}.cache`, script.createCachedData());
  });
}

let cli;
try {
  cli = require(entry);
} catch (err) {
  if (err && err.code === 'MODULE_NOT_FOUND' && String(err.message).includes(entry)) {
    process.stderr.write('mailcheck: the CLI is not built; run `npm run build` (or `npm install`) in the package folder\n');
    process.exit(2);
  }
  throw err;
}
cli.runMain();
