// nodemailer's verify() as a process of its own, for the wire bench: what an app's "test
// connection" button does. argv: host port caPath user (password in BENCH_PASSWORD).
import { readFileSync } from 'node:fs';
import nodemailer from 'nodemailer';

const [host, port, caPath, user] = process.argv.slice(2);
const transport = nodemailer.createTransport({
  host,
  port: Number(port),
  secure: false,
  requireTLS: true,
  auth: { user, pass: process.env.BENCH_PASSWORD },
  authMethod: 'PLAIN',
  tls: { ca: [readFileSync(caPath, 'utf8')] },
});
try {
  await transport.verify();
} catch (err) {
  process.stderr.write(`verify failed: ${err.message}\n`);
  process.exitCode = 1;
} finally {
  transport.close();
}
