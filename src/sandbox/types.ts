/** The public shapes of the sandbox (`src/sandbox/index.ts` is the entry point). */
import type { Encryption } from '../types.ts';
import type { DnsRecord } from './zone.ts';

/**
 * A misbehaving listener for tests:
 * - `tarpit`: accepts TCP and never says anything
 * - `no-starttls`: a STARTTLS-port server without STARTTLS (not advertised, refused if sent)
 * - `wrong-name-cert` / `expired-cert` / `self-signed-cert` / `expiring-cert`: implicit-TLS
 *   servers whose certificate names only `wrong.invalid` / expired yesterday / is not from the
 *   sandbox CA / expires in 10 days
 * - `reply-421`: greets with `421 4.3.2 Service not available` and hangs up
 * - `reply-535`: implicit TLS; every AUTH fails with `535 5.7.8 Authentication credentials invalid`
 * - `endless-line`: streams one response line that never ends (no CRLF) until the client hangs up
 */
export type FaultMode =
  | 'tarpit'
  | 'no-starttls'
  | 'wrong-name-cert'
  | 'expired-cert'
  | 'self-signed-cert'
  | 'expiring-cert'
  | 'reply-421'
  | 'reply-535'
  | 'endless-line';

/** What a log line is about (`mailcheck sandbox` prints `message`, `auth` and `error` by default). */
export type SandboxEventKind = 'start' | 'connection' | 'auth' | 'message' | 'dns' | 'fault' | 'error';

export interface SandboxUser {
  username: string;
  password: string;
}

export interface SandboxOptions {
  /** loopback address to listen on: `127.0.0.1` or `::1` (`localhost` means `127.0.0.1`) @default '127.0.0.1' */
  host?: string;
  /** the sandbox's mail domain; its zone is served by the DNS responder @default 'sandbox.mailcheck.test' */
  domain?: string;
  /** accounts; @default one user `sandbox@<domain>` with a random password per start */
  users?: SandboxUser[];
  /** fixed ports; 0 or absent = a random free port */
  ports?: { ssl?: number; starttls?: number; plain?: number; dns?: number; mtaSts?: number };
  /** receives one line per event, with its kind; never receives a password */
  log?: (line: string, kind: SandboxEventKind) => void;
  /** accept MAIL FROM without AUTH (the default requires a login, as a submission server does) @default false */
  authOptional?: boolean;
  /** largest message accepted, in bytes (advertised with SIZE) @default 10 MiB */
  maxMessageSize?: number;
  /**
   * Validates an XOAUTH2 bearer token for a user (e.g. against a local authorization server's
   * introspection). When set, XOAUTH2 logins are accepted for any username it vouches for, and the
   * users' passwords no longer stand in for tokens. @default none: the password is the token
   */
  verifyBearer?: (token: string, username: string) => Promise<boolean>;
}

export interface ReceivedMessage {
  listener: 'ssl' | 'starttls' | 'plain' | (string & {});
  secure: boolean;
  /** e.g. `TLSv1.3` when the session was encrypted */
  tlsProtocol?: string;
  authUser?: string;
  /** `plain` | `login` | `xoauth2` | `cram-md5` */
  authMethod?: string;
  envelope: { from: string; to: string[] };
  raw: Buffer;
  receivedAt: Date;
}

export interface AuthAttempt {
  /** `plain` | `login` | `xoauth2` | `cram-md5` */
  method: string;
  username: string;
  ok: boolean;
  /** whether the connection was encrypted when the credentials were sent */
  secure: boolean;
}

export interface SessionRecord {
  listener: string;
  /** whether the session is encrypted (updated after STARTTLS) */
  secure: boolean;
  remoteAddress: string;
  /** the verbs the client sent, in order (`EHLO`, `STARTTLS`, `AUTH`, `MAIL`…); no arguments */
  commands: string[];
  auth: AuthAttempt[];
}

export interface Endpoint {
  host: string;
  port: number;
}

/** The listener of a fault, and the `encryption:` a profile needs to reach it. */
export interface FaultEndpoint extends Endpoint {
  mode: FaultMode;
  encryption: Encryption;
}

/** The sandbox's MTA-STS policy server (policy-server.ts). */
export interface PolicyServer {
  endpoint: Endpoint;
  /** the policy text served (tests may change it to exercise the check's failures) */
  policy: string;
  /** overrides the response: status and body (e.g. 404, or HTML) */
  respond?: { status: number; body: string; contentType?: string };
  close(): Promise<void>;
}

export interface Sandbox {
  domain: string;
  host: string;
  users: SandboxUser[];
  /** the sandbox CA (PEM) and where it was written, so `tls.ca:` can point at it */
  caPem: string;
  caPath: string;
  /** the server key and certificate (for a companion HTTPS server, e.g. `--oauth`) */
  serverTls: { key: string; cert: string };
  smtp: { ssl: Endpoint; starttls: Endpoint; plain: Endpoint };
  /** UDP and TCP on the same port */
  dns: Endpoint;
  /** the HTTPS server of the MTA-STS policy (`mta-sts.<domain>`; checks are told its port) */
  mtaSts: PolicyServer;
  /** the DKIM selector published in DNS, and its private key (to sign test messages) */
  dkim: { selector: string; privateKeyPem: string };
  messages: ReceivedMessage[];
  sessions: SessionRecord[];
  onMessage(cb: (m: ReceivedMessage) => void): void;
  /** extra DNS data (e.g. the MX of a known provider); names outside the sandbox domain become answerable */
  addRecords(records: DnsRecord[]): void;
  /** a separate listener per call, closed by close() */
  startFault(mode: FaultMode): Promise<FaultEndpoint>;
  /** a lint-clean mail.yaml (version 1) with profiles ssl/starttls/plain pointing at this sandbox */
  mailYaml(opts?: { envVar?: string }): string;
  /** the environment that resolves {@link Sandbox.mailYaml}'s password reference */
  env(opts?: { envVar?: string }): Record<string, string>;
  close(): Promise<void>;
}
