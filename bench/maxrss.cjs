// Preloaded with `node -r` by the bench: reports the process's peak resident memory at exit.
'use strict';
process.on('exit', () => {
  require('node:fs').writeSync(2, `\nMAXRSS_KB=${process.resourceUsage().maxRSS}\n`);
});
