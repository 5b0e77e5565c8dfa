// The whole job against the embedded sandbox, no mail server and no network needed:
// lint → check → send → render → OAuth2, run through the built CLI exactly as a user would type it.
// `npm run demo` builds first. Exits non-zero when a step does not end as it should.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => pathToFileURL(join(root, 'dist', p)).href;

let sandboxModule;
let oauthModule;
let oauthProfile;
let cli;
let commands;
try {
  sandboxModule = await import(dist('sandbox/index.js'));
  oauthModule = await import(dist('sandbox/oauth-server.js'));
  oauthProfile = await import(dist('cli/commands/sandbox-oauth.js'));
  cli = await import(dist('cli/run.js'));
  commands = await import(dist('cli/commands/index.js'));
} catch (err) {
  console.error(`demo: the build is missing or incomplete (${err.message}); run \`npm run build\` first`);
  process.exit(2);
}

const say = (line = '') => process.stdout.write(`${line}\n`);
const rule = (title) => say(`\n━━ ${title} ${'━'.repeat(Math.max(0, 70 - title.length))}`);

// XOAUTH2 on the sandbox's listeners takes the access tokens of its OAuth2 server (step 5)
let as;
const sb = await sandboxModule.startSandbox({ verifyBearer: async (token, user) => (as ? as.verifyBearer(token, user) : false) });
const dir = mkdtempSync(join(tmpdir(), 'mailcheck-demo-'));
const failures = [];
try {
  writeFileSync(join(dir, 'mail.yaml'), sb.mailYaml());
  const env = { ...process.env, ...sb.env(), NO_COLOR: '1' };
  delete env.FORCE_COLOR;
  // what the user sees: plain output, as in a CI log (no TTY, so no live task list)
  const io = {
    stdout: { write: (s) => process.stdout.write(s) },
    stderr: { write: (s) => process.stdout.write(s) },
    env,
    cwd: dir,
  };
  const run = async (args, expected = 0) => {
    say(`\n$ mailcheck ${args.map((a) => (/[\s"']/.test(a) ? `"${a}"` : a)).join(' ')}`);
    const code = await cli.runCommand(args, io);
    say(`(exit ${code})`);
    if (code !== expected) failures.push(`mailcheck ${args[0]} exited ${code}, expected ${expected}`);
    return code;
  };

  rule('the sandbox');
  say(`SMTP on ${sb.host}: implicit TLS :${sb.smtp.ssl.port}, STARTTLS :${sb.smtp.starttls.port}, plain :${sb.smtp.plain.port}`);
  say(`DNS for ${sb.domain} on ${sb.dns.host}:${sb.dns.port}; CA ${sb.caPath}`);
  say(`mail.yaml written to ${join(dir, 'mail.yaml')} (profiles ssl, starttls, plain);`);
  say(`SANDBOX_PASSWORD holds the sandbox's throwaway password (never printed).`);

  rule('1. lint: offline, what CI runs on every push');
  await run(['lint']);
  // what a mixed-up settings page looks like, and what --fix repairs of it (nothing written)
  writeFileSync(
    join(dir, 'mixed-up.mail.yaml'),
    ['version: 1', 'profiles:', '  app:', '    host: smtp.example.org', '    port: 587', '    encryption: tls      # SSL? STARTTLS?', '    from: app@example.org', '    tls: { minVersion: TLSv1 }', ''].join('\n'),
  );
  await run(['lint', 'mixed-up.mail.yaml', '--fix-dry-run', '--quiet'], 0);

  rule('2. check: DNS, TLS, login, one connection per profile');
  // the sandbox serves its MTA-STS policy on a random port, over a certificate of its own CA
  await run(['check', '--resolver', `${sb.dns.host}:${sb.dns.port}`, '--rcpt', `postmaster@${sb.domain}`, '--ca-file', sb.caPath, '--mta-sts-port', String(sb.mtaSts.endpoint.port)]);

  rule('3. send: a real test message');
  const before = sb.messages.length;
  await run(['send', '--profile', 'starttls', '--to', `you@${sb.domain}`, '--subject', 'Hello from the mailcheck demo']);
  const got = sb.messages.slice(before);
  if (got.length === 1) {
    const m = got[0];
    say(`the sandbox received it: from ${m.envelope.from} to ${m.envelope.to.join(', ')}, ${m.raw.length} bytes, over ${m.tlsProtocol ?? 'plain text'} as ${m.authUser}`);
  } else failures.push(`the sandbox received ${got.length} messages, expected 1`);

  rule('4. render: the settings as an app reads them');
  if (commands.COMMANDS.some((c) => c.name === 'render')) {
    await run(['render', '--target', 'env', '--profile', 'starttls']);
  } else {
    say('(the render command is not in this build yet: skipped)');
  }

  rule('5. OAuth2: device sign-in, then XOAUTH2 with a refreshed token');
  // the real oidc-provider on loopback HTTPS with the sandbox CA; it approves device codes itself
  as = await oauthModule.startOAuthServer({ host: sb.host, tls: sb.serverTls, caPem: sb.caPem, approveAs: sb.users[0].username, autoApprove: true });
  writeFileSync(join(dir, 'oauth.mail.yaml'), oauthProfile.withOAuthProfile(sb.mailYaml(), sb, as));
  say(`OAuth2 server ${as.issuer} (oidc-provider); profile oauth added to oauth.mail.yaml`);
  await run(['oauth', 'login', 'oauth.mail.yaml', '--profile', 'oauth', '--flow', 'device', '--ca-file', sb.caPath, '--deadline', '60s']);
  await run(['check', 'oauth.mail.yaml', '--profile', 'oauth', '--only', 'oauth,auth', '--ca-file', sb.caPath, '--save-refresh-token']);
} finally {
  await as?.close();
  await sb.close();
  rmSync(dir, { recursive: true, force: true });
}

rule(failures.length ? 'demo FAILED' : 'demo done');
for (const f of failures) say(`  ✖ ${f}`);
process.exit(failures.length ? 1 : 0);
