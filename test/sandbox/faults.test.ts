import { createConnection, type Socket } from 'node:net';
import { connect as tlsConnect, type PeerCertificate } from 'node:tls';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAULT_MODES, startSandbox, type Endpoint, type Sandbox } from '../../src/sandbox/index.ts';

type SendOptions = Parameters<typeof nodemailer.createTransport>[0];

function transport(endpoint: Endpoint, extra: Record<string, unknown>) {
  return nodemailer.createTransport({
    host: endpoint.host,
    port: endpoint.port,
    connectionTimeout: 3000,
    greetingTimeout: 3000,
    socketTimeout: 3000,
    ...extra,
  } as SendOptions);
}

/** Connects and collects what the server sends until it closes or `idleMs` pass in silence. */
function listen(endpoint: Endpoint, idleMs: number, maxBytes = Infinity): Promise<{ data: Buffer; ended: boolean; idle: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const socket: Socket = createConnection(endpoint.port, endpoint.host);
    socket.setTimeout(idleMs);
    const done = (ended: boolean, idle: boolean): void => {
      socket.destroy();
      resolve({ data: Buffer.concat(chunks), ended, idle });
    };
    socket.on('data', (d: Buffer) => {
      chunks.push(d);
      size += d.length;
      if (size >= maxBytes) done(false, false);
    });
    socket.once('timeout', () => done(false, true));
    socket.once('end', () => done(true, false));
    socket.once('error', reject);
  });
}

function tlsProbe(endpoint: Endpoint, ca: string): Promise<{ authorized: boolean; error?: string; cert: PeerCertificate }> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({ host: endpoint.host, port: endpoint.port, ca, rejectUnauthorized: false });
    socket.once('secureConnect', () => {
      const cert = socket.getPeerCertificate();
      const error = socket.authorizationError ? String(socket.authorizationError) : undefined;
      socket.destroy();
      resolve({ authorized: socket.authorized, cert, ...(error ? { error } : {}) });
    });
    socket.once('error', reject);
  });
}

describe('sandbox faults', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await startSandbox();
  });
  afterAll(async () => {
    await sb.close();
  });
  const auth = () => ({ user: sb.users[0]?.username, pass: sb.users[0]?.password });

  it('tarpit: the connection opens and no greeting comes', async () => {
    const ep = await sb.startFault('tarpit');
    expect(ep).toMatchObject({ host: '127.0.0.1', mode: 'tarpit' });
    const got = await listen(ep, 500);
    expect(got).toEqual({ data: Buffer.alloc(0), ended: false, idle: true });
  });

  it('no-starttls: STARTTLS is not advertised, and a client that logs in anyway is recorded in clear', async () => {
    const ep = await sb.startFault('no-starttls');
    expect(ep.encryption).toBe('starttls');
    const err = await transport(ep, { secure: false, requireTLS: true, tls: { ca: sb.caPem }, auth: auth() })
      .verify()
      .then(
        () => undefined,
        (e: unknown) => e as { code?: string },
      );
    expect(err?.code).toBe('ETLS');
    const refusing = sb.sessions.filter((s) => s.listener === 'no-starttls');
    expect(refusing.at(-1)?.commands).not.toContain('AUTH');
    await transport(ep, { secure: false, ignoreTLS: true, auth: auth() }).verify();
    expect(sb.sessions.filter((s) => s.listener === 'no-starttls').at(-1)?.auth).toEqual([
      { method: 'plain', username: sb.users[0]?.username, ok: true, secure: false },
    ]);
  });

  it('wrong-name-cert: chains to the CA but names only wrong.invalid', async () => {
    const ep = await sb.startFault('wrong-name-cert');
    expect(ep.encryption).toBe('ssl');
    const probe = await tlsProbe(ep, sb.caPem);
    expect(probe.authorized).toBe(false);
    expect(probe.error).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
    expect(probe.cert.subjectaltname).toBe('DNS:wrong.invalid');
  });

  it('expired-cert: expired yesterday', async () => {
    const probe = await tlsProbe(await sb.startFault('expired-cert'), sb.caPem);
    expect(probe.error).toBe('CERT_HAS_EXPIRED');
    expect(new Date(probe.cert.valid_to).getTime()).toBeLessThan(Date.now());
  });

  it('self-signed-cert: not from the sandbox CA', async () => {
    const probe = await tlsProbe(await sb.startFault('self-signed-cert'), sb.caPem);
    expect(probe.error).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
  });

  it('expiring-cert: trusted, but expires within 21 days', async () => {
    const probe = await tlsProbe(await sb.startFault('expiring-cert'), sb.caPem);
    expect(probe.authorized).toBe(true);
    const days = (new Date(probe.cert.valid_to).getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(0);
    expect(days).toBeLessThan(21);
  });

  it('a client that verifies refuses each bad certificate, and sends no AUTH', async () => {
    for (const mode of ['wrong-name-cert', 'expired-cert', 'self-signed-cert'] as const) {
      const ep = await sb.startFault(mode);
      const err = await transport(ep, { secure: true, tls: { ca: sb.caPem }, auth: auth() })
        .verify()
        .then(
          () => undefined,
          (e: unknown) => e as { code?: string },
        );
      expect(err?.code, mode).toBeDefined();
      expect(sb.sessions.filter((s) => s.listener === mode).flatMap((s) => s.auth)).toEqual([]);
    }
  });

  it('reply-421: greets with 421 4.3.2 and hangs up', async () => {
    const ep = await sb.startFault('reply-421');
    const got = await listen(ep, 2000);
    expect(got.data.toString()).toBe('421 4.3.2 Service not available\r\n');
    expect(got.ended).toBe(true);
  });

  it('reply-535: every login fails with 535 5.7.8', async () => {
    const ep = await sb.startFault('reply-535');
    expect(ep.encryption).toBe('ssl');
    const err = await transport(ep, { secure: true, tls: { ca: sb.caPem }, auth: auth() })
      .verify()
      .then(
        () => undefined,
        (e: unknown) => e as { responseCode?: number; response?: string },
      );
    expect(err?.responseCode).toBe(535);
    expect(err?.response).toBe('535 5.7.8 Authentication credentials invalid');
    expect(sb.sessions.filter((s) => s.listener === 'reply-535').at(-1)?.auth[0]?.ok).toBe(false);
  });

  it('endless-line: one line without CRLF, for as long as the client reads', async () => {
    const ep = await sb.startFault('endless-line');
    const got = await listen(ep, 2000, 1024 * 1024);
    expect(got.data.length).toBeGreaterThanOrEqual(1024 * 1024);
    expect(got.data.subarray(0, 4).toString()).toBe('220 ');
    expect(got.data.includes('\n')).toBe(false);
    expect(got.ended).toBe(false);
  });

  it('endless-line: the server stops writing once the client hangs up', async () => {
    const lines: string[] = [];
    const own = await startSandbox({ log: (l) => lines.push(l) });
    try {
      const ep = await own.startFault('endless-line');
      await listen(ep, 2000, 256 * 1024);
      await expect.poll(() => lines.find((l) => l.startsWith('[endless-line] stopped after'))).toBeDefined();
    } finally {
      await own.close();
    }
  });

  it('lists every fault mode once', () => {
    expect([...FAULT_MODES].sort()).toEqual(
      ['endless-line', 'expired-cert', 'expiring-cert', 'no-starttls', 'reply-421', 'reply-535', 'self-signed-cert', 'tarpit', 'wrong-name-cert'].sort(),
    );
  });

  it('refuses an unknown fault mode', async () => {
    await expect(sb.startFault('nope' as never)).rejects.toMatchObject({ code: 'E_USAGE' });
  });
});

describe('fault listeners and close()', () => {
  it('are closed with the sandbox, even with clients still connected', async () => {
    const sb = await startSandbox();
    const tarpit = await sb.startFault('tarpit');
    const endless = await sb.startFault('endless-line');
    const held = [createConnection(tarpit.port, tarpit.host), createConnection(endless.port, endless.host)];
    const closedByServer = held.map(
      (s) =>
        new Promise<void>((resolve) => {
          s.on('error', () => {});
          // a reader that stops reading, so the endless line has to wait for drain
          s.once('data', () => s.pause());
          s.once('close', () => resolve());
        }),
    );
    await new Promise((r) => setTimeout(r, 100));
    await sb.close();
    for (const s of held) s.resume();
    await Promise.all(closedByServer);
    await expect(sb.startFault('tarpit')).rejects.toMatchObject({ code: 'E_SANDBOX_CLOSED' });
    const refused = await new Promise<string>((resolve) => {
      const s = createConnection(tarpit.port, tarpit.host);
      s.once('connect', () => {
        s.destroy();
        resolve('open');
      });
      s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
    });
    expect(refused).toBe('ECONNREFUSED');
  });
});
