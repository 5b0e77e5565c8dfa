import { createServer, type Socket } from 'node:net';
import type { Encryption } from '../types.ts';
import type { CertVariant } from './certs.ts';
import { closeServer, listenOn } from './listen.ts';
import type { SmtpListenerSpec, RunningListener } from './smtp.ts';
import type { FaultMode, SandboxEventKind } from './types.ts';

/** How each fault is built: a raw TCP behaviour, or an SMTP listener with a twist. */
export type FaultPlan =
  | { kind: 'raw'; behaviour: 'tarpit' | 'reply-421' | 'endless-line'; encryption: Encryption }
  | { kind: 'smtp'; spec: Omit<SmtpListenerSpec, 'name' | 'tls'>; cert: CertVariant; encryption: Encryption };

/** Every fault mode, declared once (the CLI's help and the README list derive from it). */
export const FAULTS: Readonly<Record<FaultMode, { plan: FaultPlan; description: string }>> = {
  tarpit: {
    plan: { kind: 'raw', behaviour: 'tarpit', encryption: 'starttls' },
    description: 'accepts the TCP connection and never says anything',
  },
  'no-starttls': {
    plan: { kind: 'smtp', spec: { mode: 'starttls', noStartTls: true }, cert: 'server', encryption: 'starttls' },
    description: 'a submission server without STARTTLS (not advertised, and refused if tried)',
  },
  'wrong-name-cert': {
    plan: { kind: 'smtp', spec: { mode: 'ssl' }, cert: 'wrong-name', encryption: 'ssl' },
    description: 'implicit TLS with a certificate for wrong.invalid only',
  },
  'expired-cert': {
    plan: { kind: 'smtp', spec: { mode: 'ssl' }, cert: 'expired', encryption: 'ssl' },
    description: 'implicit TLS with a certificate that expired yesterday',
  },
  'self-signed-cert': {
    plan: { kind: 'smtp', spec: { mode: 'ssl' }, cert: 'self-signed', encryption: 'ssl' },
    description: 'implicit TLS with a self-signed certificate (not from the sandbox CA)',
  },
  'expiring-cert': {
    plan: { kind: 'smtp', spec: { mode: 'ssl' }, cert: 'expiring', encryption: 'ssl' },
    description: 'implicit TLS with a valid certificate that expires in 10 days',
  },
  'reply-421': {
    plan: { kind: 'raw', behaviour: 'reply-421', encryption: 'starttls' },
    description: 'greets with 421 4.3.2 Service not available and hangs up',
  },
  'reply-535': {
    plan: { kind: 'smtp', spec: { mode: 'ssl', rejectAuth: true }, cert: 'server', encryption: 'ssl' },
    description: 'implicit TLS; every AUTH fails with 535 5.7.8',
  },
  'endless-line': {
    plan: { kind: 'raw', behaviour: 'endless-line', encryption: 'starttls' },
    description: 'streams one reply line that never ends (no CRLF) until the client hangs up',
  },
};

export const FAULT_MODES = Object.keys(FAULTS) as FaultMode[];

export function isFaultMode(value: string): value is FaultMode {
  return Object.hasOwn(FAULTS, value);
}

/** an endless line stops on its own after this much, should a client never hang up */
const ENDLESS_LIMIT = 64 * 1024 * 1024;
const ENDLESS_CHUNK = Buffer.alloc(16 * 1024, 'x');
/** a tarpit lets go eventually, so a forgotten client cannot hold the process forever */
const TARPIT_MS = 5 * 60 * 1000;

function endless(socket: Socket, log: (line: string, kind: SandboxEventKind) => void): void {
  let sent = 0;
  socket.once('close', () => log(`[endless-line] stopped after ${sent} bytes: the client hung up`, 'fault'));
  const pump = (): void => {
    while (!socket.destroyed && socket.writable) {
      if (sent >= ENDLESS_LIMIT) {
        socket.destroy();
        return;
      }
      sent += ENDLESS_CHUNK.length;
      if (!socket.write(ENDLESS_CHUNK)) {
        socket.once('drain', pump);
        return;
      }
    }
  };
  socket.write('220 ');
  pump();
}

/** Starts a raw TCP fault listener (tarpit, 421 greeting, endless line). */
export async function startRawFault(
  behaviour: 'tarpit' | 'reply-421' | 'endless-line',
  host: string,
  log: (line: string, kind: SandboxEventKind) => void,
): Promise<RunningListener> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    log(`[${behaviour}] connection from ${socket.remoteAddress ?? '?'}`, 'connection');
    switch (behaviour) {
      case 'tarpit':
        socket.setTimeout(TARPIT_MS, () => socket.destroy());
        socket.resume(); // read and drop whatever the client says
        break;
      case 'reply-421':
        socket.end('421 4.3.2 Service not available\r\n');
        break;
      case 'endless-line':
        socket.resume();
        endless(socket, log);
        break;
    }
  });
  const address = await listenOn(server, host, 0, `fault ${behaviour}`);
  return { endpoint: { host, port: address.port }, close: () => closeServer(server, sockets) };
}
