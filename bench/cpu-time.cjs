// Preloaded with `node -r` by bench/lint-pathological.mjs: reports the process's CPU time at exit
// (user + system), which a loaded machine changes far less than wall time.
'use strict';
process.on('exit', () => {
  const u = process.resourceUsage();
  require('node:fs').writeSync(2, `\nCPU_MS=${Math.round((u.userCPUTime + u.systemCPUTime) / 1000)}\n`);
});
