import { connect as tlsConnect } from 'node:tls';
import { readFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import nodemailer from 'nodemailer';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lintSource } from '../../src/engine.ts';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.ts';

type SendOptions = Parameters<typeof nodemailer.createTransport>[0];

function transport(endpoint: { host: string; port: number }, extra: Record<string, unknown>) {
  return nodemailer.createTransport({
    host: endpoint.host,
    port: endpoint.port,
    connectionTimeout: 5000,
    greetingTimeout: 5000,
    socketTimeout: 5000,
    ...extra,
  } as SendOptions);
}

function message(to = 'rcpt@example.test') {
  return { from: 'sandbox@sandbox.mailcheck.test', to, subject: 'hello', text: 'hello from the test' };
}

describe('sandbox SMTP listeners', () => {
  let sb: Sandbox;
  const logLines: string[] = [];

  beforeAll(async () => {
    sb = await startSandbox({ log: (l) => logLines.push(l) });
  });
  afterAll(async () => {
    await sb.close();
  });

  function user() {
    const u = sb.users[0];
    if (!u) throw new Error('no user');
    return u;
  }

  it('has a generated user, loopback endpoints and a CA on disk', () => {
    expect(sb.host).toBe('127.0.0.1');
    expect(sb.domain).toBe('sandbox.mailcheck.test');
    expect(sb.users).toHaveLength(1);
    expect(user().username).toBe('sandbox@sandbox.mailcheck.test');
    expect(user().password.length).toBeGreaterThanOrEqual(20);
    const ports = [sb.smtp.ssl.port, sb.smtp.starttls.port, sb.smtp.plain.port, sb.dns.port];
    expect(new Set(ports).size).toBe(4);
    expect(readFileSync(sb.caPath, 'utf8')).toBe(sb.caPem);
    expect(sb.caPem).toContain('BEGIN CERTIFICATE');
  });

  it('accepts implicit TLS on the ssl listener and records the login', async () => {
    const before = sb.sessions.length;
    const info = await transport(sb.smtp.ssl, {
      secure: true,
      tls: { ca: sb.caPem },
      auth: { user: user().username, pass: user().password },
    }).sendMail(message('ssl@example.test'));
    expect(info.accepted).toEqual(['ssl@example.test']);
    const m = sb.messages.find((x) => x.envelope.to.includes('ssl@example.test'));
    expect(m).toMatchObject({ listener: 'ssl', secure: true, authUser: user().username, authMethod: 'plain' });
    expect(m?.tlsProtocol).toMatch(/^TLSv1\.[23]$/);
    expect(m?.envelope.from).toBe('sandbox@sandbox.mailcheck.test');
    expect(m?.raw.toString()).toContain('hello from the test');
    const session = sb.sessions.slice(before).find((s) => s.listener === 'ssl');
    expect(session?.secure).toBe(true);
    expect(session?.remoteAddress).toBe('127.0.0.1');
    expect(session?.auth).toEqual([{ method: 'plain', username: user().username, ok: true, secure: true }]);
    expect(session?.commands.slice(0, 4)).toEqual(['EHLO', 'AUTH', 'MAIL', 'RCPT']);
    expect(session?.commands).toContain('DATA');
  });

  it('upgrades with STARTTLS on the starttls listener before AUTH', async () => {
    const before = sb.sessions.length;
    await transport(sb.smtp.starttls, {
      secure: false,
      requireTLS: true,
      tls: { ca: sb.caPem },
      auth: { user: user().username, pass: user().password },
      authMethod: 'LOGIN',
    }).sendMail(message('starttls@example.test'));
    const m = sb.messages.find((x) => x.envelope.to.includes('starttls@example.test'));
    expect(m).toMatchObject({ listener: 'starttls', secure: true, authMethod: 'login' });
    const session = sb.sessions.slice(before).find((s) => s.listener === 'starttls');
    expect(session?.commands.slice(0, 4)).toEqual(['EHLO', 'STARTTLS', 'EHLO', 'AUTH']);
    expect(session?.auth).toEqual([{ method: 'login', username: user().username, ok: true, secure: true }]);
  });

  it('refuses AUTH before STARTTLS on the starttls listener (538), so a stripped STARTTLS shows', async () => {
    const before = sb.sessions.length;
    const err = await transport(sb.smtp.starttls, {
      secure: false,
      ignoreTLS: true,
      auth: { user: user().username, pass: user().password },
    })
      .sendMail(message('stripped@example.test'))
      .then(
        () => undefined,
        (e: unknown) => e as { responseCode?: number },
      );
    expect(err?.responseCode).toBe(538);
    const session = sb.sessions.slice(before).find((s) => s.listener === 'starttls');
    expect(session?.secure).toBe(false);
    expect(session?.commands).toContain('AUTH');
    expect(session?.commands).not.toContain('STARTTLS');
    expect(session?.auth).toEqual([]);
    expect(sb.messages.some((x) => x.envelope.to.includes('stripped@example.test'))).toBe(false);
  });

  it('allows AUTH in clear on the plain listener, and offers no STARTTLS there', async () => {
    const before = sb.sessions.length;
    const err = await transport(sb.smtp.plain, { secure: false, requireTLS: true, tls: { ca: sb.caPem } })
      .verify()
      .then(
        () => undefined,
        (e: unknown) => e as { code?: string },
      );
    expect(err?.code).toBe('ETLS');
    await transport(sb.smtp.plain, {
      secure: false,
      ignoreTLS: true,
      auth: { user: user().username, pass: user().password },
    }).sendMail(message('plain@example.test'));
    const m = sb.messages.find((x) => x.envelope.to.includes('plain@example.test'));
    expect(m).toMatchObject({ listener: 'plain', secure: false, authMethod: 'plain' });
    expect(m?.tlsProtocol).toBeUndefined();
    const session = sb.sessions.slice(before).find((s) => s.listener === 'plain' && s.auth.length > 0);
    expect(session?.auth).toEqual([{ method: 'plain', username: user().username, ok: true, secure: false }]);
  });

  it('supports XOAUTH2 (the token is the password) and CRAM-MD5', async () => {
    await transport(sb.smtp.ssl, {
      secure: true,
      tls: { ca: sb.caPem },
      auth: { type: 'OAuth2', user: user().username, accessToken: user().password },
    }).sendMail(message('xoauth2@example.test'));
    expect(sb.messages.find((x) => x.envelope.to.includes('xoauth2@example.test'))?.authMethod).toBe('xoauth2');
    await transport(sb.smtp.ssl, {
      secure: true,
      tls: { ca: sb.caPem },
      authMethod: 'CRAM-MD5',
      auth: { user: user().username, pass: user().password },
    }).sendMail(message('cram@example.test'));
    expect(sb.messages.find((x) => x.envelope.to.includes('cram@example.test'))?.authMethod).toBe('cram-md5');
  });

  it('refuses a wrong password with 535 and records the failed attempt', async () => {
    const before = sb.sessions.length;
    const err = await transport(sb.smtp.ssl, {
      secure: true,
      tls: { ca: sb.caPem },
      auth: { user: user().username, pass: 'not-the-password' },
    })
      .verify()
      .then(
        () => undefined,
        (e: unknown) => e as { responseCode?: number; response?: string },
      );
    expect(err?.responseCode).toBe(535);
    expect(err?.response).toMatch(/^535 5\.7\.8 /);
    const session = sb.sessions.slice(before).find((s) => s.listener === 'ssl');
    expect(session?.auth).toEqual([{ method: 'plain', username: user().username, ok: false, secure: true }]);
  });

  it('refuses a wrong XOAUTH2 token with the RFC 7628 error exchange, then 535', async () => {
    const err = await transport(sb.smtp.ssl, {
      secure: true,
      tls: { ca: sb.caPem },
      auth: { type: 'OAuth2', user: user().username, accessToken: 'expired-token' },
    })
      .verify()
      .then(
        () => undefined,
        (e: unknown) => e as { responseCode?: number },
      );
    expect(err?.responseCode).toBe(535);
    const attempts = sb.sessions.flatMap((s) => s.auth).filter((a) => a.method === 'xoauth2' && !a.ok);
    expect(attempts.length).toBeGreaterThan(0);
  });

  it('requires a login before MAIL FROM', async () => {
    const err = await transport(sb.smtp.ssl, { secure: true, tls: { ca: sb.caPem } })
      .sendMail(message('anon@example.test'))
      .then(
        () => undefined,
        (e: unknown) => e as { responseCode?: number },
      );
    expect(err?.responseCode).toBe(530);
  });

  it('refuses a message over the size limit', async () => {
    const small = await startSandbox({ maxMessageSize: 2048 });
    try {
      const u = small.users[0];
      const err = await transport(small.smtp.ssl, {
        secure: true,
        tls: { ca: small.caPem },
        auth: { user: u?.username, pass: u?.password },
      })
        .sendMail({ ...message(), text: 'x'.repeat(10_000) })
        .then(
          () => undefined,
          (e: unknown) => e as { responseCode?: number },
        );
      expect(err?.responseCode).toBe(552);
      expect(small.messages).toHaveLength(0);
    } finally {
      await small.close();
    }
  });

  it('calls onMessage subscribers', async () => {
    const seen: string[] = [];
    sb.onMessage((m) => seen.push(...m.envelope.to));
    await transport(sb.smtp.ssl, {
      secure: true,
      tls: { ca: sb.caPem },
      auth: { user: user().username, pass: user().password },
    }).sendMail(message('subscriber@example.test'));
    expect(seen).toEqual(['subscriber@example.test']);
  });

  it('serves a certificate that chains to the CA and names 127.0.0.1, localhost and smtp.<domain>', async () => {
    const check = (servername: string | undefined, ca: string | undefined) =>
      new Promise<{ authorized: boolean; error?: string }>((resolve) => {
        const socket = tlsConnect({
          host: sb.smtp.ssl.host,
          port: sb.smtp.ssl.port,
          ...(servername ? { servername } : {}),
          ...(ca ? { ca } : {}),
          rejectUnauthorized: false,
        });
        socket.once('secureConnect', () => {
          const error = socket.authorizationError ? String(socket.authorizationError) : undefined;
          socket.destroy();
          resolve({ authorized: socket.authorized, ...(error ? { error } : {}) });
        });
        socket.once('error', (e) => resolve({ authorized: false, error: String(e) }));
      });
    expect(await check(undefined, sb.caPem)).toEqual({ authorized: true });
    expect(await check('smtp.sandbox.mailcheck.test', sb.caPem)).toEqual({ authorized: true });
    expect(await check('localhost', sb.caPem)).toEqual({ authorized: true });
    const untrusted = await check(undefined, undefined);
    expect(untrusted.authorized).toBe(false);
    expect(untrusted.error).toMatch(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|unable to verify/i);
  });

  it('writes a mail.yaml pointing at itself, with the password as a reference', () => {
    const text = sb.mailYaml();
    expect(text).not.toContain(user().password);
    const doc = parseYaml(text) as {
      version: number;
      profiles: Record<string, { host: string; port: number; encryption: string; auth: { password: string; username: string }; tls: { ca: string } }>;
      rules: Record<string, string>;
    };
    expect(doc.version).toBe(1);
    expect(Object.keys(doc.profiles)).toEqual(['ssl', 'starttls', 'plain']);
    expect(doc.profiles.ssl).toMatchObject({ host: '127.0.0.1', port: sb.smtp.ssl.port, encryption: 'ssl' });
    expect(doc.profiles.starttls).toMatchObject({ port: sb.smtp.starttls.port, encryption: 'starttls' });
    expect(doc.profiles.plain).toMatchObject({ port: sb.smtp.plain.port, encryption: 'none' });
    expect(doc.profiles.ssl?.auth.password).toBe('${SANDBOX_PASSWORD}');
    expect(doc.profiles.ssl?.tls.ca).toBe(sb.caPath);
    expect(doc.rules['cleartext-auth']).toBe('off');
    expect(sb.env()).toEqual({ SANDBOX_PASSWORD: user().password });
    expect(parseYaml(sb.mailYaml({ envVar: 'MY_PW' })).profiles.plain.auth.password).toBe('${MY_PW}');
    expect(sb.env({ envVar: 'MY_PW' })).toEqual({ MY_PW: user().password });
  });

  it('writes a mail.yaml that lints clean', () => {
    const linted = lintSource('sandbox.mail.yaml', sb.mailYaml());
    expect(linted.diagnostics).toEqual([]);
  });

  it('records the verbs of a whole session, in order', async () => {
    const before = sb.sessions.length;
    await transport(sb.smtp.starttls, {
      secure: false,
      requireTLS: true,
      tls: { ca: sb.caPem },
      auth: { user: user().username, pass: user().password },
    }).sendMail(message('verbs@example.test'));
    const session = sb.sessions.slice(before).find((s) => s.listener === 'starttls');
    expect(session?.commands.slice(0, 7)).toEqual(['EHLO', 'STARTTLS', 'EHLO', 'AUTH', 'MAIL', 'RCPT', 'DATA']);
  });

  it('never hands a password to the log or the session records', () => {
    const all = logLines.join('\n') + JSON.stringify(sb.sessions);
    expect(all).not.toContain(user().password);
    expect(all).not.toContain('not-the-password');
    expect(all).not.toContain(Buffer.from(`\0${user().username}\0${user().password}`).toString('base64'));
    expect(logLines.some((l) => l.includes('message from <sandbox@sandbox.mailcheck.test>'))).toBe(true);
  });

  it('greets on the plain listener with a 220 naming smtp.<domain>', async () => {
    const greeting = await new Promise<string>((resolve, reject) => {
      const s = createConnection(sb.smtp.plain.port, sb.smtp.plain.host);
      s.once('data', (d) => {
        resolve(d.toString());
        s.destroy();
      });
      s.once('error', reject);
    });
    expect(greeting).toMatch(/^220 smtp\.sandbox\.mailcheck\.test /);
  });
});

describe('sandbox options', () => {
  it('takes users, a domain and fixed ports, and closes them all', async () => {
    const probe = await startSandbox();
    const base = probe.smtp.ssl.port;
    await probe.close();
    const sb = await startSandbox({
      domain: 'example.test',
      users: [{ username: 'app', password: 'pw-1' }],
      ports: { ssl: base, starttls: 0, plain: 0, dns: 0 },
    });
    try {
      expect(sb.smtp.ssl.port).toBe(base);
      expect(sb.users).toEqual([{ username: 'app', password: 'pw-1' }]);
      await transport(sb.smtp.ssl, { secure: true, tls: { ca: sb.caPem }, auth: { user: 'app', pass: 'pw-1' } }).sendMail(message());
      expect(sb.messages[0]?.authUser).toBe('app');
      await expect(startSandbox({ ports: { ssl: base } })).rejects.toMatchObject({ code: 'E_SANDBOX_PORT' });
    } finally {
      await sb.close();
    }
    await expect(
      new Promise((resolve, reject) => {
        const s = createConnection(base, '127.0.0.1');
        s.once('connect', () => {
          s.destroy();
          resolve('open');
        });
        s.once('error', reject);
      }),
    ).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('fails cleanly when a port is taken, leaving nothing open', async () => {
    const handles = () => process.getActiveResourcesInfo().filter((r) => r === 'TCPServerWrap' || r === 'UDPWrap').length;
    const holder = await startSandbox();
    const before = handles();
    await expect(startSandbox({ ports: { plain: holder.smtp.plain.port } })).rejects.toMatchObject({ code: 'E_SANDBOX_PORT' });
    await expect(startSandbox({ ports: { dns: holder.dns.port } })).rejects.toMatchObject({ code: 'E_SANDBOX_PORT' });
    await new Promise((r) => setTimeout(r, 50));
    expect(handles()).toBe(before);
    await holder.close();
  });

  it('refuses a host that is not loopback', async () => {
    await expect(startSandbox({ host: '0.0.0.0' })).rejects.toMatchObject({ code: 'E_USAGE' });
    await expect(startSandbox({ host: '192.168.1.1' })).rejects.toMatchObject({ code: 'E_USAGE' });
  });

  it('listens on ::1 when asked', async () => {
    let sb: Sandbox;
    try {
      sb = await startSandbox({ host: '::1' });
    } catch (err) {
      // a host without IPv6 loopback cannot run this case
      expect((err as { code?: string }).code).toBe('E_SANDBOX_HOST');
      return;
    }
    try {
      const u = sb.users[0];
      await transport(sb.smtp.ssl, { secure: true, tls: { ca: sb.caPem }, auth: { user: u?.username, pass: u?.password } }).sendMail(message());
      expect(sb.messages[0]).toMatchObject({ listener: 'ssl', secure: true });
      expect(sb.mailYaml()).toContain('host: "::1"');
    } finally {
      await sb.close();
    }
  });
});
