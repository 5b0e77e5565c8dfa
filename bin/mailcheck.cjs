#!/usr/bin/env -S node --
'use strict';
// `node --`: Node 20 scans every argument for `--env-file` at start-up and reads that file, even
// after the script name (it then ignores it), so `mailcheck … --env-file <a FIFO>` blocked before
// this file ran and a device node was read without end. After `--` Node reads no option at all.
// Start-up matters (`mailcheck lint` runs in every CI job). The CLI is a CommonJS bundle
// (dist/bundle/*.cjs, made by scripts/build-cli.mjs) whose files are compiled with V8 code caches
// recorded at build time, next to each file (`*.cjs.cache`). A cache that does not fit this
// Node/V8 is rejected by V8 and the file is simply compiled as usual. Only our own bundle files
// go through this; every other module loads the normal way.
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');

// `lint` of folders or globs can be a long run that mostly parses; it runs under `--no-opt`, which
// keeps it in less memory (1,000 files, December 2026: 58 MiB in ~1.0 s, against ~70 MiB in
// 0.8–1.0 s optimised).
// `lint FILE…` (CI's usual call, one mail.yaml) is short: V8's defaults, and node:v8 (~4 ms of
// loading) is not needed. V8 accepts a code cache only from a process with the same flags, so each
// flavour has its own cache files (`*.lint.cache` recorded under `--no-opt`, `*.cache` for every
// other run), both recorded at build time (scripts/build.mjs).
const isFile = (arg) => {
  try {
    return fs.statSync(arg).isFile();
  } catch {
    return false;
  }
};
const lintRun = process.argv[2] === 'lint' && process.argv.slice(3).some((a) => !a.startsWith('-') && !isFile(a));
// The young generation stays at its first size there too: V8 doubles it when most of what a
// scavenge finds is alive, which a lint of many files (each file's result is kept to the end)
// makes it do, to no gain in time (1,000 files: 58 MiB at its first size, 88 MiB grown, ~1.0 s both).
if (lintRun) require('node:v8').setFlagsFromString('--no-opt --semi-space-growth-factor=1');
const cacheSuffix = lintRun ? '.lint.cache' : '.cache';

const dir = path.join(__dirname, '..', 'dist', 'bundle');
const entry = path.join(dir, 'mailcheck.cjs');
const record = process.env.MAILCHECK_WRITE_CODE_CACHE === '1';
// MAILCHECK_CODE_CACHE_REPORT=1: one line on stderr per bundle file: cache accepted, rejected or missing
const report = process.env.MAILCHECK_CODE_CACHE_REPORT === '1';
const scripts = new Map();
const compile = Module.prototype._compile;

Module.prototype._compile = function compileWithCache(content, filename) {
  if (path.dirname(filename) !== dir) return compile.call(this, content, filename);
  let cachedData;
  try {
    cachedData = fs.readFileSync(filename + cacheSuffix);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(Module.wrap(content), {
    filename,
    cachedData,
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  if (report) process.stderr.write(`code-cache ${path.basename(filename)} ${cachedData === undefined ? 'missing' : script.cachedDataRejected ? 'rejected' : 'accepted'}\n`);
  if (record) scripts.set(filename, script);
  const require = Module.createRequire(filename);
  return script.runInThisContext().call(this.exports, this.exports, require, this, filename, path.dirname(filename));
};

if (record) {
  process.on('exit', () => {
    for (const [filename, script] of scripts) fs.writeFileSync(filename + cacheSuffix, script.createCachedData());
    // bundle files this run did not load still get their top-level code cached
    for (const name of fs.readdirSync(dir)) {
      const filename = path.join(dir, name);
      if (!name.endsWith('.cjs') || scripts.has(filename) || fs.existsSync(filename + cacheSuffix)) continue;
      const script = new vm.Script(Module.wrap(fs.readFileSync(filename, 'utf8')), {
        filename,
        importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
      });
      fs.writeFileSync(filename + cacheSuffix, script.createCachedData());
    }
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
