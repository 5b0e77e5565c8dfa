// `npm run bench`: every speed and memory target, measured side by side on this machine.
// Each bench/<area>.mjs exports `run()` returning rows { name, value, target, ok, reference?, ratio? }.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const suites = ['lint.mjs', 'lint-pathological.mjs', 'check.mjs', 'wire.mjs', 'exporter.mjs'];
let failed = false;
for (const suite of suites) {
  const file = join(here, suite);
  if (!existsSync(file)) continue;
  const { run } = await import(file);
  console.log(`\n# ${suite.replace('.mjs', '')}`);
  for (const row of await run()) {
    const ratio = row.ratio === undefined ? '' : `  (${row.ratio.toFixed(2)}×)`;
    const ref = row.reference ? `  vs ${row.reference}` : '';
    console.log(`${row.ok ? 'ok  ' : 'MISS'}  ${row.name}: ${row.value}${ref}${ratio}   target ${row.target}`);
    if (!row.ok) failed = true;
  }
}
process.exitCode = failed ? 1 : 0;
