// nodemailer's verify() as a process of its own, for the wire bench: what an app's "test
// connection" button does. argv: host port caPath user [count] (password in BENCH_PASSWORD);
// with a count, that many verify() at once in this one process, each on a transport of its own.
import { readFileSync } from 'node:fs';
import nodemailer from 'nodemailer';

const [host, port, caPath, user, count = '1'] = process.argv.slice(2);
const ca = readFileSync(caPath, 'utf8');
const transport = () =>
  nodemailer.createTransport({
    host,
    port: Number(port),
    secure: false,
    requireTLS: true,
    auth: { user, pass: process.env.BENCH_PASSWORD },
    authMethod: 'PLAIN',
    tls: { ca: [ca] },
  });
const transports = Array.from({ length: Number(count) }, transport);
try {
  await Promise.all(transports.map((t) => t.verify()));
} catch (err) {
  process.stderr.write(`verify failed: ${err.message}\n`);
  process.exitCode = 1;
} finally {
  for (const t of transports) t.close();
}
