// The sandbox in its own process for the check bench: its TLS handshakes and SMTP parsing then
// run on another core, as a real server's would, instead of in the measured event loop.
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { startSandbox } = await import(pathToFileURL(join(root, 'dist', 'sandbox', 'index.js')).href);
const sb = await startSandbox();
process.on('message', async (m) => {
  if (m === 'sessions') process.send({ sessions: sb.sessions.length });
  if (m === 'close') {
    await sb.close();
    process.exit(0);
  }
});
process.send({ ready: { host: sb.host, domain: sb.domain, users: sb.users, caPem: sb.caPem, caPath: sb.caPath, smtp: sb.smtp, dns: sb.dns, env: sb.env(), mtaSts: sb.mtaSts.endpoint, dkim: { selector: sb.dkim.selector } } });
