import { EventEmitter } from 'node:events';
import { createServer, type Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runSmtpSession, type SmtpSessionOptions } from '../../src/net/smtp-session.ts';
import { ReplyReader, parseExtensions } from '../../src/net/smtp-wire.ts';
import { startSandbox, type Endpoint, type Sandbox } from '../../src/sandbox/index.ts';
import type { Encryption } from '../../src/types.ts';

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox();
});
afterAll(async () => {
  await sb.close();
});

const timeouts = { connect: 2000, greeting: 2000, command: 2000 };

function session(endpoint: Endpoint, encryption: Encryption, over: Partial<SmtpSessionOptions> = {}) {
  const user = sb.users[0]!;
  return runSmtpSession({
    host: endpoint.host,
    port: endpoint.port,
    encryption,
    tls: { caPem: sb.caPem },
    auth: { method: 'plain', username: user.username, password: () => user.password, accessToken: async () => user.password },
    timeouts,
    ...over,
  });
}

/** the sandbox's records of the sessions opened by `fn` */
async function recorded<T>(fn: () => Promise<T>): Promise<{ value: T; sessions: Sandbox['sessions'] }> {
  const before = sb.sessions.length;
  const value = await fn();
  // the server records QUIT/close asynchronously
  await new Promise((r) => setTimeout(r, 50));
  return { value, sessions: sb.sessions.slice(before) };
}

describe('runSmtpSession against the sandbox', () => {
  for (const method of ['plain', 'login', 'cram-md5', 'xoauth2'] as const) {
    test(`ssl + ${method}: TLS inspected, login accepted, one connection`, async () => {
      const user = sb.users[0]!;
      const { value: t, sessions } = await recorded(() =>
        session(sb.smtp.ssl, 'ssl', {
          auth: { method, username: user.username, password: () => user.password, accessToken: async () => user.password },
        }),
      );
      expect(t.connect.ok).toBe(true);
      expect(t.tls?.via).toBe('implicit');
      expect(t.tls?.inspection?.chainTrusted).toBe(true);
      expect(t.tls?.inspection?.nameMatches).toBe(true);
      expect(t.tls?.inspection?.protocol).toMatch(/^TLSv1\.[23]$/);
      expect(t.greeting?.reply?.code).toBe(220);
      expect(t.auth).toMatchObject({ attempted: true, ok: true, mechanism: method.toUpperCase() });
      expect(sessions).toHaveLength(1);
      expect(sessions[0]!.auth).toEqual([expect.objectContaining({ method, ok: true, secure: true })]);
      expect(t.log.join('\n')).not.toContain(user.password);
    });
  }

  test('LOGIN sends the username as its initial response (RFC 4954 §4): two AUTH lines, not three', async () => {
    const user = sb.users[0]!;
    const t = await session(sb.smtp.ssl, 'ssl', { auth: { method: 'login', username: user.username, password: () => user.password } });
    expect(t.auth?.ok).toBe(true);
    const clientAuthLines = t.log.filter((l) => l.startsWith('C: ') && t.log.indexOf(l) > t.log.findIndex((x) => x.startsWith('C: AUTH')) - 1).filter((l) => !/^C: (QUIT|EHLO)/.test(l));
    expect(clientAuthLines).toEqual(['C: AUTH LOGIN [username]', 'C: [redacted]']);
  });

  test('LOGIN falls back to the classic exchange when the server refuses the initial response', async () => {
    const seen: string[] = [];
    const server = createServer((socket: Socket) => {
      socket.write('220 scripted ESMTP\r\n');
      let buf = '';
      socket.on('data', (chunk) => {
        buf += chunk.toString('latin1');
        let i: number;
        while ((i = buf.indexOf('\r\n')) >= 0) {
          const line = buf.slice(0, i);
          buf = buf.slice(i + 2);
          seen.push(line.startsWith('AUTH LOGIN ') ? 'AUTH LOGIN <ir>' : line.startsWith('EHLO') ? 'EHLO' : line.startsWith('AUTH') || line === 'QUIT' ? line : '<b64>');
          if (line.startsWith('EHLO')) socket.write('250-scripted\r\n250 AUTH LOGIN\r\n');
          else if (line.startsWith('AUTH LOGIN ')) socket.write('501 5.5.4 no initial response here\r\n');
          else if (line === 'AUTH LOGIN') socket.write('334 VXNlcm5hbWU6\r\n');
          else if (line === 'QUIT') socket.end('221 bye\r\n');
          else if (seen.filter((x) => x === '<b64>').length === 1) socket.write('334 UGFzc3dvcmQ6\r\n');
          else socket.write('235 2.7.0 ok\r\n');
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const port = (server.address() as { port: number }).port;
      const t = await session({ host: '127.0.0.1', port }, 'none', { allowCleartextAuth: true, auth: { method: 'login', username: 'u@x.test', password: () => 'pw-123456' } });
      expect(t.auth?.ok).toBe(true);
      expect(seen.slice(0, 5)).toEqual(['EHLO', 'AUTH LOGIN <ir>', 'AUTH LOGIN', '<b64>', '<b64>']);
    } finally {
      server.close();
    }
  });

  test('starttls: EHLO, STARTTLS, EHLO again, AUTH, QUIT on one connection', async () => {
    const { value: t, sessions } = await recorded(() => session(sb.smtp.starttls, 'starttls'));
    expect(t.ehloPlain?.extensions).toHaveProperty('STARTTLS');
    expect(t.starttls).toMatchObject({ offered: true, ok: true });
    expect(t.tls?.via).toBe('starttls');
    expect(t.ehlo?.extensions).toHaveProperty('AUTH');
    expect(t.auth?.ok).toBe(true);
    expect(sessions).toHaveLength(1);
    expect(sessions[0]!.commands).toEqual(['EHLO', 'STARTTLS', 'EHLO', 'AUTH', 'QUIT']);
  });

  test('plain listener: no AUTH over cleartext unless allowed', async () => {
    const refused = await recorded(() => session(sb.smtp.plain, 'none'));
    expect(refused.value.auth).toMatchObject({ attempted: false, skipped: 'cleartext' });
    expect(refused.sessions[0]!.commands).not.toContain('AUTH');
    const allowed = await recorded(() => session(sb.smtp.plain, 'none', { allowCleartextAuth: true }));
    expect(allowed.value.auth?.ok).toBe(true);
  });

  test('no-starttls fault: fails at STARTTLS and never sends AUTH (server-side record)', async () => {
    const fault = await sb.startFault('no-starttls');
    const { value: t, sessions } = await recorded(() => session(fault, 'starttls'));
    expect(t.starttls).toMatchObject({ offered: false, ok: false });
    expect(t.stoppedAt).toBe('starttls');
    expect(t.auth).toBeUndefined();
    const mine = sessions.filter((s) => s.listener === 'no-starttls');
    expect(mine).toHaveLength(1);
    expect(mine[0]!.commands).not.toContain('AUTH');
    expect(mine[0]!.auth).toEqual([]);
  });

  test('an untrusted certificate gets no credentials unless verify is off', async () => {
    const untrusted = await recorded(() => session(sb.smtp.ssl, 'ssl', { tls: {} }));
    expect(untrusted.value.tls?.inspection?.chainTrusted).toBe(false);
    expect(untrusted.value.auth).toMatchObject({ attempted: false, skipped: 'untrusted-tls' });
    expect(untrusted.sessions[0]!.commands).not.toContain('AUTH');
    const optedOut = await session(sb.smtp.ssl, 'ssl', { tls: {}, verify: false });
    expect(optedOut.auth?.ok).toBe(true);
  });

  test("Node's chain-to-objects conversion is skipped, and the name is still checked on the certificate", async () => {
    const proto = TLSSocket.prototype;
    const original = proto.getPeerCertificate;
    let calls = 0;
    proto.getPeerCertificate = function (this: TLSSocket, detailed?: boolean) {
      calls++;
      return original.call(this, detailed as true);
    } as typeof original;
    try {
      const ok = await session(sb.smtp.starttls, 'starttls');
      expect(ok.tls?.inspection).toMatchObject({ chainTrusted: true, nameMatches: true });
      expect(ok.tls?.inspection?.chain[0]?.altNames.length).toBeGreaterThan(0);
      // the same server under a name it does not carry: still refused, by our own check
      const wrong = await session(sb.smtp.starttls, 'starttls', { tls: { caPem: sb.caPem, servername: 'other.invalid' } });
      expect(wrong.tls?.inspection?.nameMatches).toBe(false);
      expect(wrong.auth).toMatchObject({ attempted: false });
    } finally {
      proto.getPeerCertificate = original;
    }
    expect(calls).toBe(0);
  });

  test('envelope: MAIL and RCPT accepted, then RSET; nothing delivered', async () => {
    const before = sb.messages.length;
    const { value: t, sessions } = await recorded(() => session(sb.smtp.ssl, 'ssl', { envelope: { from: sb.users[0]!.username, to: 'x@example.org' } }));
    expect(t.envelope).toMatchObject({ ok: true });
    expect(t.envelope?.rcpt?.code).toBe(250);
    expect(sessions[0]!.commands).toEqual(['EHLO', 'AUTH', 'MAIL', 'RCPT', 'RSET', 'QUIT']);
    expect(sb.messages.length).toBe(before);
  });

  test('a wrong password is a 535 reply, not an error', async () => {
    const t = await session(sb.smtp.ssl, 'ssl', { auth: { method: 'login', username: sb.users[0]!.username, password: () => 'wrong' } });
    expect(t.auth).toMatchObject({ attempted: true, ok: false });
    expect(t.auth?.reply?.code).toBe(535);
  });

  test('a closed port is refused', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    await new Promise<void>((r) => server.close(() => r()));
    const t = await session({ host: '127.0.0.1', port }, 'starttls');
    expect(t.connect.ok).toBe(false);
    expect(t.connect.failure?.kind).toBe('refused');
  });
});

describe('fault listeners end within their timeouts', () => {
  test('tarpit: greeting timeout', async () => {
    const fault = await sb.startFault('tarpit');
    const t = await session(fault, 'starttls', { timeouts: { ...timeouts, greeting: 300 } });
    expect(t.greeting?.failure?.kind).toBe('timeout');
    expect(t.stoppedAt).toBe('greeting');
  });

  test('reply-421: the greeting is a refusal', async () => {
    const fault = await sb.startFault('reply-421');
    const t = await session(fault, 'starttls');
    expect(t.greeting?.reply?.code).toBe(421);
    expect(t.greeting?.ok).toBe(false);
  });

  test('endless-line: bounded by the line limit', async () => {
    const fault = await sb.startFault('endless-line');
    const t = await session(fault, 'starttls');
    expect(t.greeting?.failure?.kind).toBe('line-too-long');
  });

  test('wrong-name-cert, expired-cert, self-signed-cert, expiring-cert: inspected, not refused', async () => {
    const wrong = await session(await sb.startFault('wrong-name-cert'), 'ssl');
    expect(wrong.tls?.inspection).toMatchObject({ nameMatches: false, chainTrusted: true });
    const expired = await session(await sb.startFault('expired-cert'), 'ssl');
    expect(expired.tls?.inspection).toMatchObject({ expired: true, chainError: 'CERT_HAS_EXPIRED' });
    expect(expired.tls?.inspection?.daysToExpiry).toBeLessThan(0);
    const self = await session(await sb.startFault('self-signed-cert'), 'ssl');
    expect(self.tls?.inspection).toMatchObject({ chainTrusted: false, chainError: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    const expiring = await session(await sb.startFault('expiring-cert'), 'ssl');
    expect(expiring.tls?.inspection?.chainTrusted).toBe(true);
    expect(expiring.tls?.inspection?.daysToExpiry).toBeLessThan(21);
    for (const t of [wrong, expired, self]) expect(t.auth?.skipped).toBe('untrusted-tls');
  });

  test('reply-535: the AUTH reply and its enhanced code', async () => {
    const t = await session(await sb.startFault('reply-535'), 'ssl');
    expect(t.auth?.reply).toMatchObject({ code: 535, enhanced: '5.7.8' });
  });

  test('an abort ends a hanging session at once and destroys the socket', async () => {
    const fault = await sb.startFault('tarpit');
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const t = await session(fault, 'starttls', { timeouts: { connect: 10_000, greeting: 10_000, command: 10_000 }, signal: controller.signal });
    expect(t.aborted).toBe(true);
    expect(t.greeting?.failure?.kind).toBe('aborted');
  });

  test('ssl against a plain-text port fails the handshake', async () => {
    const t = await session(sb.smtp.starttls, 'ssl');
    expect(t.tls?.ok).toBe(false);
    expect(t.stoppedAt).toBe('tls');
  });
});

describe('ReplyReader', () => {
  function feed(chunks: string[], maxLine = 64): Promise<unknown> {
    const socket = Object.assign(new EventEmitter(), { destroy: () => undefined }) as unknown as Socket;
    const reader = new ReplyReader(maxLine, 4);
    reader.attach(socket);
    const p = reader.read(1000, 'test').then(
      (r) => r,
      (e: { kind: string }) => ({ error: e.kind }),
    );
    for (const c of chunks) socket.emit('data', Buffer.from(c));
    return p;
  }

  test('multi-line replies, split across chunks, with an enhanced code', async () => {
    const r = await feed(['250-mx.example Hello\r\n250-SIZE 100\r', '\n250 AUTH PLAIN LOGIN\r\n']);
    expect(r).toMatchObject({ code: 250, lines: ['mx.example Hello', 'SIZE 100', 'AUTH PLAIN LOGIN'] });
    expect(parseExtensions(r as never)).toEqual({ SIZE: '100', AUTH: 'PLAIN LOGIN' });
    expect(await feed(['535 5.7.8 Authentication failed\r\n'])).toMatchObject({ code: 535, enhanced: '5.7.8' });
  });

  test('a line over the limit, too many lines, and garbage fail with stable kinds', async () => {
    expect(await feed(['220 ' + 'x'.repeat(100)])).toEqual({ error: 'line-too-long' });
    expect(await feed(['250-a\r\n250-b\r\n250-c\r\n250-d\r\n250-e\r\n250-f\r\n'])).toEqual({ error: 'too-many-lines' });
    expect(await feed(['HTTP/1.1 400 Bad Request\r\n'])).toEqual({ error: 'protocol' });
  });
});
