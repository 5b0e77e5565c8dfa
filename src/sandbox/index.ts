/**
 * The local mail sandbox: SMTP on loopback (implicit TLS, STARTTLS and plain listeners, AUTH
 * PLAIN/LOGIN/XOAUTH2/CRAM-MD5), a CA generated at start, a DNS responder for its domain, and
 * misbehaving listeners for tests. Used by `mailcheck sandbox`, the demo and the test suite.
 */
import { createHash, generateKeyPair, randomBytes, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { MailcheckError } from '../errors.ts';
import { generateCerts } from './certs.ts';
import { sandboxZone, startDnsServer, type DnsRecord } from './dns-server.ts';
import { FAULTS, isFaultMode, startRawFault } from './faults.ts';
import { loopbackHost } from './listen.ts';
import { startPolicyServer } from './policy-server.ts';
import { deliverabilityZone } from './zone.ts';
import { startSmtpListener, type RunningListener, type SmtpHub } from './smtp.ts';
import type { FaultEndpoint, FaultMode, ReceivedMessage, Sandbox, SandboxOptions, SandboxUser } from './types.ts';

export type {
  AuthAttempt,
  Endpoint,
  FaultEndpoint,
  FaultMode,
  PolicyServer,
  ReceivedMessage,
  Sandbox,
  SandboxOptions,
  SandboxEventKind,
  SandboxUser,
  SessionRecord,
} from './types.ts';
export type { DnsFaultMode, DnsQueryInfo, DnsRecord, DnsServer, DnsServerOptions } from './dns-server.ts';
export { sandboxZone, startDnsServer } from './dns-server.ts';
export { deliverabilityZone } from './zone.ts';
export { FAULT_MODES, FAULTS } from './faults.ts';
export { messageSummary } from './smtp.ts';

const DEFAULT_DOMAIN = 'sandbox.mailcheck.test';
/** the selector the sandbox publishes its DKIM key under */
const DKIM_SELECTOR = 'sandbox';

/** An RSA-2048 DKIM key pair: the public key as SPKI DER in base64 (the `p=` of the record). */
async function generateDkimKey(): Promise<{ publicKey: string; privateKey: string }> {
  const { publicKey, privateKey } = await promisify(generateKeyPair)('rsa', { modulusLength: 2048 });
  return { publicKey: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'), privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}
const DEFAULT_ENV_VAR = 'SANDBOX_PASSWORD';
const DEFAULT_MAX_MESSAGE = 10 * 1024 * 1024;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function port(value: number | undefined, what: string): number {
  const p = value ?? 0;
  if (!Number.isInteger(p) || p < 0 || p > 65535) {
    throw new MailcheckError('E_USAGE', `${what} port must be 0-65535, got ${String(value)}`);
  }
  return p;
}

function yamlHost(host: string): string {
  return host.includes(':') ? `"${host}"` : host;
}

function yamlString(value: string): string {
  return JSON.stringify(value);
}

/**
 * Starts the sandbox. Everything listens on loopback; ports are random unless given. The
 * password of the generated user is new at every start.
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const host = loopbackHost(options.host);
  const domain = (options.domain ?? DEFAULT_DOMAIN).toLowerCase().replace(/\.$/, '');
  if (!DOMAIN.test(domain)) {
    throw new MailcheckError('E_USAGE', `the sandbox domain "${options.domain}" is not a domain name`, 'e.g. sandbox.mailcheck.test');
  }
  const ports = {
    ssl: port(options.ports?.ssl, 'ssl'),
    starttls: port(options.ports?.starttls, 'starttls'),
    plain: port(options.ports?.plain, 'plain'),
    dns: port(options.ports?.dns, 'dns'),
    mtaSts: port(options.ports?.mtaSts, 'MTA-STS'),
  };
  const users: SandboxUser[] = (options.users ?? [{ username: `sandbox@${domain}`, password: randomBytes(18).toString('base64url') }]).map(
    (u) => ({ ...u }),
  );
  if (users.length === 0) throw new MailcheckError('E_USAGE', 'the sandbox needs at least one user');
  const log = options.log ?? ((): void => {});
  const messages: ReceivedMessage[] = [];
  const listeners: ((m: ReceivedMessage) => void)[] = [];
  const hub: SmtpHub = {
    domain,
    users,
    authOptional: options.authOptional ?? false,
    maxMessageSize: options.maxMessageSize ?? DEFAULT_MAX_MESSAGE,
    ...(options.verifyBearer ? { verifyBearer: options.verifyBearer } : {}),
    sessions: [],
    message(m) {
      messages.push(m);
      for (const cb of listeners) {
        try {
          cb(m);
        } catch {
          // a subscriber's failure must not break the SMTP session
        }
      }
    },
    log,
  };

  // the DKIM key is made while the certificates are: both run in libuv's thread pool
  const [certs, dkimKey] = await Promise.all([generateCerts({ domain }), generateDkimKey()]);
  const dir = mkdtempSync(join(tmpdir(), 'mailcheck-sandbox-'));
  const caPath = join(dir, 'ca.pem');
  writeFileSync(caPath, certs.caPem, { mode: 0o644 });

  const running: RunningListener[] = [];
  const closers: (() => Promise<void>)[] = [];
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= Promise.allSettled([...running.map((l) => l.close()), ...closers.map((c) => c())]).then(() => {
      rmSync(dir, { recursive: true, force: true });
    });
    return closing;
  };

  try {
    const tls = certs.get('server');
    // allSettled, not all: when one port is taken, the others must still be known to close()
    const started = await Promise.allSettled([
      startSmtpListener({ name: 'ssl', mode: 'ssl', tls }, hub, host, ports.ssl),
      startSmtpListener({ name: 'starttls', mode: 'starttls', tls }, hub, host, ports.starttls),
      startSmtpListener({ name: 'plain', mode: 'plain', tls }, hub, host, ports.plain),
    ]);
    for (const r of started) if (r.status === 'fulfilled') running.push(r.value);
    const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    const [ssl, starttls, plain] = running as [RunningListener, RunningListener, RunningListener];
    const mtaStsId = Date.now().toString(36);
    const mtaSts = await startPolicyServer(host, tls, `version: STSv1\r\nmode: enforce\r\nmx: smtp.${domain}\r\nmax_age: 86400\r\n`, ports.mtaSts);
    closers.push(() => mtaSts.close());
    const spkiSha256 = createHash('sha256').update(new X509Certificate(tls.cert).publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
    const dns = await startDnsServer({
      host,
      port: ports.dns,
      zones: [domain],
      records: [
        ...sandboxZone(domain, host, { ssl: ssl.endpoint.port, starttls: starttls.endpoint.port }),
        ...deliverabilityZone(domain, host, {
          dkim: { selector: DKIM_SELECTOR, publicKey: dkimKey.publicKey },
          tlsa: [ssl, starttls].map((l) => ({ port: l.endpoint.port, spkiSha256 })),
          mtaStsId,
        }),
      ],
      log: (line) => log(line, 'dns'),
    });
    closers.push(() => dns.close());

    const envVarOf = (opts?: { envVar?: string }): string => {
      const name = opts?.envVar ?? DEFAULT_ENV_VAR;
      if (!ENV_NAME.test(name)) throw new MailcheckError('E_USAGE', `"${name}" is not an environment variable name`);
      return name;
    };
    const first = users[0] as SandboxUser;

    const sandbox: Sandbox = {
      domain,
      host,
      users,
      caPem: certs.caPem,
      caPath,
      serverTls: certs.get('server'),
      smtp: { ssl: ssl.endpoint, starttls: starttls.endpoint, plain: plain.endpoint },
      dns: dns.endpoint,
      mtaSts,
      dkim: { selector: DKIM_SELECTOR, privateKeyPem: dkimKey.privateKey },
      messages,
      sessions: hub.sessions,
      onMessage(cb) {
        listeners.push(cb);
      },
      addRecords(records: DnsRecord[]) {
        dns.addRecords(records);
      },
      async startFault(mode: FaultMode): Promise<FaultEndpoint> {
        if (!isFaultMode(mode)) throw new MailcheckError('E_USAGE', `unknown sandbox fault "${String(mode)}"`);
        if (closing) throw new MailcheckError('E_SANDBOX_CLOSED', 'the sandbox is closed');
        const { plan } = FAULTS[mode];
        const listener =
          plan.kind === 'raw'
            ? await startRawFault(plan.behaviour, host, log)
            : await startSmtpListener({ ...plan.spec, name: mode, tls: certs.get(plan.cert) }, hub, host, 0);
        running.push(listener);
        log(`[${mode}] fault listening on ${host}:${listener.endpoint.port}`, 'fault');
        return { ...listener.endpoint, mode, encryption: plan.encryption };
      },
      mailYaml(opts) {
        const envVar = envVarOf(opts);
        const profile = (name: string, endpoint: { port: number }, encryption: string): string[] => [
          `  ${name}:`,
          `    host: ${yamlHost(host)}`,
          `    port: ${endpoint.port}`,
          `    encryption: ${encryption}`,
          '    auth:',
          '      method: plain',
          `      username: ${yamlString(first.username)}`,
          `      password: \${${envVar}}`,
          `    from: { address: ${yamlString(first.username.includes('@') ? first.username : `sandbox@${domain}`)}, name: mailcheck sandbox }`,
          // the name in the certificate: SNI, and the name DANE's TLSA records are published under
          `    tls: { ca: ${yamlString(caPath)}, servername: smtp.${domain} }`,
          `    dkim: { selectors: [${DKIM_SELECTOR}] }`,
        ];
        return [
          `# mail.yaml for the mailcheck sandbox (${domain}); valid while this sandbox runs.`,
          `# The password is the sandbox's own throwaway credential: export ${envVar} as printed.`,
          'version: 1',
          'profiles:',
          ...profile('ssl', ssl.endpoint, 'ssl'),
          ...profile('starttls', starttls.endpoint, 'starttls'),
          ...profile('plain', plain.endpoint, 'none'),
          'rules:',
          '  # the `plain` profile logs in over a cleartext loopback connection on purpose',
          '  cleartext-auth: off',
          '',
        ].join('\n');
      },
      env(opts) {
        return { [envVarOf(opts)]: first.password };
      },
      close,
    };
    log(`[sandbox] ${domain}: ssl ${host}:${ssl.endpoint.port}, starttls ${host}:${starttls.endpoint.port}, plain ${host}:${plain.endpoint.port}, dns ${host}:${dns.endpoint.port}`, 'start');
    return sandbox;
  } catch (err) {
    await close();
    throw err;
  }
}
