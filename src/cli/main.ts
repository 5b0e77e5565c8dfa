import { processIO } from './io.ts';
import { runCommand } from './run.ts';

/** The process entry point: the only place that sets `process.exitCode`. */
export function runMain(argv: string[] = process.argv.slice(2)): void {
  // a closed pipe (mailcheck … | head) is not an error
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  });
  runCommand(argv, processIO()).then(
    (code) => {
      process.exitCode = code;
    },
    () => {
      process.exitCode = 2;
    },
  );
}
