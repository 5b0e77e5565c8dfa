import type { TLSSocket } from 'node:tls';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Socket } from 'node:net';
import { SMTPServer, type SMTPServerAuthentication, type SMTPServerOptions, type SMTPServerSession } from 'smtp-server';
import type { KeyCert } from './certs.ts';
import { listenOn } from './listen.ts';
import type { AuthAttempt, Endpoint, ReceivedMessage, SandboxEventKind, SandboxUser, SessionRecord } from './types.ts';

/** How one SMTP listener of the sandbox behaves. */
export interface SmtpListenerSpec {
  /** listener name, as recorded in sessions and messages */
  name: string;
  /** `ssl`: TLS from the first byte; `starttls`: STARTTLS offered, AUTH only after it; `plain`: no TLS, AUTH in clear */
  mode: 'ssl' | 'starttls' | 'plain';
  tls: KeyCert;
  /**
   * no STARTTLS at all (the `no-starttls` fault): not advertised (`hideSTARTTLS`) and refused
   * with 502 if a client sends it anyway, as a server without TLS does. AUTH in clear is then
   * accepted and recorded with `secure: false`, so a client that carries on is visible.
   */
  noStartTls?: boolean;
  /** every AUTH fails with 535 5.7.8 (the `reply-535` fault) */
  rejectAuth?: boolean;
}

/** What the listeners share: accounts, the records, and where events go. */
export interface SmtpHub {
  domain: string;
  users: readonly SandboxUser[];
  authOptional: boolean;
  maxMessageSize: number;
  /** validates XOAUTH2 bearer tokens (a local authorization server) */
  verifyBearer?: (token: string, username: string) => Promise<boolean>;
  sessions: SessionRecord[];
  message(m: ReceivedMessage): void;
  log(line: string, kind: SandboxEventKind): void;
}

export interface RunningListener {
  endpoint: Endpoint;
  close(): Promise<void>;
}

const MAX_COMMANDS_KEPT = 1000;
const VERB = /^[A-Z][A-Z0-9-]{0,15}$/;

/** Constant-time comparison that does not leak the length through an early return. */
function sameSecret(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

function checkCredentials(auth: SMTPServerAuthentication, users: readonly SandboxUser[]): SandboxUser | undefined {
  const user = users.find((u) => u.username === auth.username);
  if (!user) return undefined;
  switch (auth.method) {
    case 'PLAIN':
    case 'LOGIN':
      return sameSecret(auth.password ?? '', user.password) ? user : undefined;
    case 'XOAUTH2':
      // the sandbox has no token server: the user's password stands in for the access token
      return sameSecret(auth.accessToken ?? '', user.password) ? user : undefined;
    case 'CRAM-MD5':
      return auth.validatePassword(user.password) ? user : undefined;
    default:
      return undefined;
  }
}

/** One line about a received message (no content, no secrets). */
export function messageSummary(m: ReceivedMessage): string {
  const tls = m.secure ? (m.tlsProtocol ?? 'TLS') : 'no TLS';
  const who = m.authUser ? `, ${m.authMethod ?? 'auth'} as ${m.authUser}` : ', no login';
  return `[${m.listener}] message from <${m.envelope.from}> to ${m.envelope.to.map((a) => `<${a}>`).join(', ')}, ${m.raw.length} bytes, ${tls}${who}`;
}

/**
 * Starts one SMTP listener (smtp-server) on `host:port`. Sessions are recorded with the verbs the
 * client sent and its login attempts (never a password); every accepted message goes to the hub.
 */
export async function startSmtpListener(
  spec: SmtpListenerSpec,
  hub: SmtpHub,
  host: string,
  port: number,
): Promise<RunningListener> {
  const records = new Map<string, SessionRecord>();
  const authOf = new Map<string, AuthAttempt>();

  // smtp-server reports each client line to its logger as `{ tnx: 'command', cid, command }`,
  // with AUTH continuation lines already reduced to the verb AUTH and a `/* secured */` line.
  const onLog = (entry: unknown, message?: unknown, line?: unknown): void => {
    if (typeof entry !== 'object' || entry === null) return;
    const e = entry as { tnx?: unknown; cid?: unknown; command?: unknown };
    if (e.tnx !== 'command' || typeof e.cid !== 'string' || typeof e.command !== 'string') return;
    if (message === 'C:' && line === '/* secured */') return; // continuation of an AUTH exchange
    const record = records.get(e.cid);
    if (!record || record.commands.length >= MAX_COMMANDS_KEPT) return;
    record.commands.push(VERB.test(e.command) ? e.command : '?');
  };
  const noop = (): void => {};
  const logger = { level: noop, trace: noop, debug: onLog, info: noop, warn: noop, error: noop, fatal: noop };

  const options: SMTPServerOptions = {
    secure: spec.mode === 'ssl',
    key: spec.tls.key,
    cert: spec.tls.cert,
    name: `smtp.${hub.domain}`,
    banner: `mailcheck sandbox (${spec.name})`,
    size: hub.maxMessageSize,
    authMethods: ['PLAIN', 'LOGIN', 'XOAUTH2', 'CRAM-MD5'],
    authOptional: hub.authOptional,
    // RFC 3207: on the STARTTLS port AUTH waits for TLS, so a client that skips STARTTLS shows
    allowInsecureAuth: spec.mode === 'plain',
    disabledCommands: spec.mode === 'plain' || spec.noStartTls ? ['STARTTLS'] : [],
    hideSTARTTLS: spec.noStartTls ?? false,
    hideENHANCEDSTATUSCODES: false,
    disableReverseLookup: true,
    useXClient: false,
    useXForward: false,
    maxClients: 64,
    maxRecipients: 100,
    socketTimeout: 60_000,
    closeTimeout: 500,
    logger,
    onConnect(session: SMTPServerSession, callback: (err?: Error | null) => void) {
      const record: SessionRecord = {
        listener: spec.name,
        secure: session.secure,
        remoteAddress: session.remoteAddress,
        commands: [],
        auth: [],
      };
      records.set(session.id, record);
      hub.sessions.push(record);
      hub.log(`[${spec.name}] connection from ${session.remoteAddress}${session.secure ? ' (TLS)' : ''}`, 'connection');
      callback();
    },
    onSecure(socket: Socket | TLSSocket, session: SMTPServerSession, callback: (err?: Error | null) => void) {
      const record = records.get(session.id);
      if (record) record.secure = true;
      callback();
    },
    onAuth(auth, session, callback) {
      void (async () => {
      const method = auth.method.toLowerCase();
      const username = auth.username ?? '';
      let user: SandboxUser | undefined;
      if (spec.rejectAuth) user = undefined;
      else if (auth.method === 'XOAUTH2' && hub.verifyBearer) {
        const ok = await hub.verifyBearer(auth.accessToken ?? '', username).catch(() => false);
        user = ok ? { username, password: '' } : undefined;
      } else user = checkCredentials(auth, hub.users);
      const attempt: AuthAttempt = { method, username, ok: Boolean(user), secure: session.secure };
      records.get(session.id)?.auth.push(attempt);
      hub.log(`[${spec.name}] AUTH ${method.toUpperCase()} ${username ? `as ${username} ` : ''}${user ? 'accepted' : 'refused'}${session.secure ? '' : ' (in clear)'}`, 'auth');
      if (user) {
        authOf.set(session.id, attempt);
        callback(null, { user: user.username });
        return;
      }
      if (auth.method === 'XOAUTH2' && !spec.rejectAuth) {
        // RFC 7628 §3.2.2: the error is a JSON status object, then the client's empty line, then 535
        callback(null, { data: { status: '401', schemes: 'bearer', scope: 'https://mail.google.com/' } });
        return;
      }
      callback(null, { responseCode: 535, message: 'Authentication credentials invalid' });
      })();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      let kept = 0;
      stream.on('data', (chunk: Buffer) => {
        if (kept + chunk.length <= hub.maxMessageSize) {
          chunks.push(chunk);
          kept += chunk.length;
        }
      });
      stream.on('error', (err: Error) => callback(err));
      stream.on('end', () => {
        if (stream.sizeExceeded) {
          const err = Object.assign(new Error(`Message exceeds the fixed maximum message size of ${hub.maxMessageSize} bytes`), {
            responseCode: 552,
          });
          callback(err);
          return;
        }
        const cipher = session.tlsOptions;
        const attempt = authOf.get(session.id);
        const mailFrom = session.envelope.mailFrom;
        const message: ReceivedMessage = {
          listener: spec.name,
          secure: session.secure,
          ...(session.secure && cipher && cipher.version ? { tlsProtocol: cipher.version } : {}),
          ...(attempt ? { authUser: attempt.username, authMethod: attempt.method } : {}),
          envelope: {
            from: mailFrom ? mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
          },
          raw: Buffer.concat(chunks),
          receivedAt: new Date(),
        };
        hub.message(message);
        hub.log(messageSummary(message), 'message');
        callback(null, `Message queued as sandbox-${hub.sessions.length}-${session.transaction}`);
      });
    },
    onClose(session: SMTPServerSession) {
      records.delete(session.id);
      authOf.delete(session.id);
    },
  };

  const server = new SMTPServer(options);
  // connection-level failures (resets, a client refusing our certificate) must not crash the
  // process: they are expected in fault tests
  server.on('error', (err: Error & { code?: string }) => {
    hub.log(`[${spec.name}] connection error: ${err.code ?? err.message}`, 'error');
  });
  const address = await listenOn(server.server, host, port, `SMTP (${spec.name})`);
  return {
    endpoint: { host, port: address.port },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
      }),
  };
}
