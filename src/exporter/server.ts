/**
 * The exporter's HTTP server and routes (issue 14, SPEC §9), in the blackbox exporter's
 * multi-target style:
 *
 * - `GET /probe?profile=NAME[&only=…]` runs the profile's checks and answers with its series
 * - `GET /metrics` the exporter's own metrics
 * - `GET /` a small HTML index of the profiles
 * - `POST /-/reload` re-reads the configuration (as SIGHUP does)
 * - `GET /-/healthy` liveness, without authentication
 *
 * Every body passes the process-wide redactor. Nothing here prints: log lines go to `log`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { onlyNames } from '../checks/index.ts';
import { MailcheckError } from '../errors.ts';
import { redact } from '../safety/redact.ts';
import { outsideText } from '../safety/sanitize.ts';
import { authorized, challenge, type ScrapeAuth } from './auth.ts';
import type { ConfigStore, ReloadStatus } from './config-store.ts';
import { EXPOSITION_CONTENT_TYPE, exposition, knownResults, probeFamilies } from './probe-metrics.ts';
import { ProbeRunner } from './probe-runner.ts';
import { createSelfMetrics, type SelfMetrics } from './self-metrics.ts';

/** Where to listen. */
export interface ListenAddress {
  host: string;
  port: number;
}

export interface ExporterOptions {
  store: ConfigStore;
  listen: ListenAddress;
  /** per-step timeout of a probe's checks */
  timeoutMs: number;
  /** the longest a probe may take; also the deadline when no scrape timeout header comes */
  maxDeadlineMs: number;
  /** how much of Prometheus' scrape timeout a probe leaves unused (blackbox's --timeout-offset, 0.5 s) */
  timeoutOffsetMs: number;
  /** DNS server `HOST[:PORT]` for every lookup of the probes */
  resolver?: string;
  /** extra CA for HTTPS lookups and the MTA-STS policy port (local sandboxes) */
  caPem?: string;
  mtaStsPort?: number;
  /** scrapes must authenticate; resolved again at every reload (the token may rotate) */
  auth?: () => ScrapeAuth;
  /** one line per event (reloads); already redacted and sanitised */
  log?: (line: string) => void;
}

export interface RunningExporter {
  /** `http://host:port` as bound (the port is the real one when 0 was asked) */
  url: string;
  address: ListenAddress;
  /** re-reads the configuration; the last good one stays when the new one fails */
  reload(): Promise<ReloadStatus>;
  /** stops accepting, lets running probes answer (within their deadlines), then closes */
  close(): Promise<void>;
}

/** Parses `HOST:PORT`, `[IPv6]:PORT` or `:PORT` (all interfaces are never implied: `:PORT` is loopback). */
export function parseListen(value: string): ListenAddress {
  const bad = (): MailcheckError =>
    new MailcheckError('E_USAGE', `--listen takes HOST:PORT or [IPv6]:PORT, got "${outsideText(value)}"`, 'e.g. 127.0.0.1:9465, [::1]:9465, 0.0.0.0:9465');
  const m = /^(?:\[([0-9A-Fa-f:.%a-zA-Z0-9]+)\]|([^:[\]\s]*)):(\d{1,5})$/.exec(value.trim());
  if (!m) throw bad();
  const host = m[1] ?? (m[2] || '127.0.0.1');
  const port = Number(m[3]);
  if (!Number.isInteger(port) || port > 65535) throw bad();
  return { host, port };
}

const QUERY_NAMES: ReadonlySet<string> = new Set(['profile', 'only']);
const MAX_URL = 4096;

function htmlEscape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

class BadRequest extends Error {}

/** The probe's deadline: Prometheus' scrape timeout minus the offset, capped by the maximum. */
export function probeDeadline(header: string | string[] | undefined, maxMs: number, offsetMs: number): number {
  if (header === undefined) return maxMs;
  const text = Array.isArray(header) ? header[0] ?? '' : header;
  if (!/^\s*\d+(\.\d+)?\s*$/.test(text)) throw new BadRequest('X-Prometheus-Scrape-Timeout-Seconds: not a number of seconds');
  const ms = Number(text) * 1000;
  if (!(ms > 0)) throw new BadRequest('X-Prometheus-Scrape-Timeout-Seconds: must be above 0');
  // a scrape timeout shorter than the offset still gets half of its time, never more than it
  return Math.max(1, Math.min(maxMs, ms - offsetMs > 0 ? ms - offsetMs : ms / 2));
}

/** Starts the exporter on an already loaded {@link ConfigStore}. */
export async function startExporter(options: ExporterOptions): Promise<RunningExporter> {
  const store = options.store;
  const log = (line: string): void => options.log?.(outsideText(redact(line)));
  const metrics: SelfMetrics = await createSelfMetrics(store);
  const runner = new ProbeRunner({
    timeoutMs: options.timeoutMs,
    ...(options.resolver ? { resolver: options.resolver } : {}),
    ...(options.caPem ? { caPem: options.caPem } : {}),
    ...(options.mtaStsPort ? { mtaStsPort: options.mtaStsPort } : {}),
    onRun: () => metrics.run(),
  });
  let auth = options.auth?.();
  const knownOnly = new Set(onlyNames());

  const reload = async (): Promise<ReloadStatus> => {
    const status = await store.reload();
    if (status.ok && options.auth) {
      try {
        auth = options.auth();
      } catch (err) {
        log(`mailcheck exporter: the scrape token could not be read again, keeping the previous one: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    metrics.reload(status.ok);
    log(
      status.ok
        ? `mailcheck exporter: configuration loaded (${store.config.profiles.size} profiles)`
        : `mailcheck exporter: configuration not reloaded, keeping the last good one: ${status.reason ?? 'error'}: ${status.detail ?? ''}`,
    );
    return status;
  };

  const send = (res: ServerResponse, handler: string, code: number, body: string, type = 'text/plain; charset=utf-8', headers: Record<string, string> = {}): void => {
    const text = redact(body);
    metrics.request(handler, code);
    res.writeHead(code, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', ...headers });
    res.end(text);
  };

  const probe = async (url: URL, req: IncomingMessage, res: ServerResponse): Promise<void> => {
    for (const name of url.searchParams.keys()) if (!QUERY_NAMES.has(name)) throw new BadRequest('unknown query parameter; /probe takes profile and only');
    const names = url.searchParams.getAll('profile');
    if (names.length !== 1 || names[0] === '') throw new BadRequest('profile: give exactly one profile name');
    const config = store.config;
    const entry = config.profiles.get(names[0]!);
    if (!entry) throw new BadRequest('profile: no such profile in the configuration (see /)');
    const only = url.searchParams.getAll('only').flatMap((o) => o.split(',')).map((s) => s.trim().toLowerCase()).filter(Boolean);
    if (only.some((o) => !knownOnly.has(o))) throw new BadRequest(`only: unknown check or group; known: ${[...knownOnly].join(',')}`);
    const deadlineMs = probeDeadline(req.headers['x-prometheus-scrape-timeout-seconds'], options.maxDeadlineMs, options.timeoutOffsetMs);
    const outcome = await runner.probe(config, entry, only.length ? [...new Set(only)] : undefined, deadlineMs);
    const families = probeFamilies({ results: outcome.results, durationMs: outcome.durationMs });
    const success = families.find((f) => f.name === 'probe_success')?.samples[0]?.value === 1;
    metrics.probe(knownResults(outcome.results), success);
    send(res, 'probe', 200, exposition(families), EXPOSITION_CONTENT_TYPE);
  };

  const index = (res: ServerResponse): void => {
    const names = [...store.config.profiles.keys()].sort();
    const items = names.map((n) => `<li><a href="/probe?profile=${htmlEscape(encodeURIComponent(n))}">${htmlEscape(n)}</a></li>`).join('\n');
    const body = [
      '<!doctype html>',
      '<html><head><meta charset="utf-8"><title>mailcheck exporter</title></head><body>',
      '<h1>mailcheck exporter</h1>',
      '<p><a href="/metrics">Exporter metrics</a></p>',
      '<h2>Profiles</h2>',
      `<ul>\n${items}\n</ul>`,
      '</body></html>',
      '',
    ].join('\n');
    send(res, 'index', 200, body, 'text/html; charset=utf-8');
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const raw = req.url ?? '/';
    if (raw.length > MAX_URL) return send(res, 'other', 414, 'URI too long\n');
    let url: URL;
    try {
      url = new URL(raw, 'http://exporter.invalid');
    } catch {
      return send(res, 'other', 400, 'malformed request target\n');
    }
    const route = url.pathname;
    const handler = route === '/' ? 'index' : route === '/probe' ? 'probe' : route === '/metrics' ? 'metrics' : route === '/-/reload' ? 'reload' : route === '/-/healthy' ? 'healthy' : 'other';
    if (handler === 'other') return send(res, 'other', 404, 'not found; see /\n');
    const method = req.method ?? 'GET';
    const wanted = handler === 'reload' ? 'POST' : 'GET';
    if (method !== wanted && !(wanted === 'GET' && method === 'HEAD')) return send(res, handler, 405, `use ${wanted}\n`, undefined, { Allow: wanted });
    if (handler === 'healthy') return send(res, handler, 200, 'OK\n');
    if (auth && !authorized(req.headers.authorization, auth)) return send(res, handler, 401, 'unauthorized\n', undefined, { 'WWW-Authenticate': challenge(auth) });
    try {
      switch (handler) {
        case 'index':
          return index(res);
        case 'metrics': {
          const { body, contentType } = await metrics.render();
          return send(res, handler, 200, body, contentType);
        }
        case 'reload': {
          const status = await reload();
          return status.ok ? send(res, handler, 200, 'configuration reloaded\n') : send(res, handler, 500, `configuration not reloaded (${status.reason ?? 'error'}); the last good configuration stays in use\n`);
        }
        default:
          return await probe(url, req, res);
      }
    } catch (err) {
      if (err instanceof BadRequest) return send(res, handler, 400, `${err.message}\n`);
      log(`mailcheck exporter: internal error on ${handler}: ${err instanceof Error ? err.message : String(err)}`);
      return send(res, handler, 500, 'internal error\n');
    }
  };

  const sockets = new Set<Socket>();
  const pending = new Set<Promise<void>>();
  const server = createServer((req, res) => {
    const p = handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 'other', 500, 'internal error\n');
      else res.destroy();
    });
    pending.add(p);
    void p.finally(() => pending.delete(p));
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  // slow clients cannot hold a connection: headers within 10 s, a whole request within 5 min
  server.headersTimeout = 10_000;
  server.requestTimeout = 300_000;
  await new Promise<void>((resolve, reject) => {
    const fail = (err: NodeJS.ErrnoException): void => {
      reject(new MailcheckError('E_LISTEN', `cannot listen on ${options.listen.host}:${options.listen.port} (${err.code ?? err.message})`, 'choose another --listen address or port'));
    };
    server.once('error', fail);
    server.listen({ host: options.listen.host, port: options.listen.port, ipv6Only: false }, () => {
      server.off('error', fail);
      resolve();
    });
  });
  const bound = server.address() as AddressInfo;
  const address = { host: bound.address, port: bound.port };
  const hostPart = address.host.includes(':') ? `[${address.host}]` : address.host;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${hostPart}:${address.port}`,
    address,
    reload,
    close() {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        // probes in progress answer (each within its deadline); then keep-alive connections go
        while (pending.size) await Promise.allSettled([...pending]);
        await runner.idle();
        server.closeIdleConnections();
        for (const s of sockets) s.end();
        const grace = setTimeout(() => {
          for (const s of sockets) s.destroy();
        }, 1000);
        grace.unref();
        await closed;
      })();
      return closing;
    },
  };
}
