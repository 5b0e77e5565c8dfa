import type { AddressInfo, Server } from 'node:net';
import type { Socket as UdpSocket } from 'node:dgram';
import { MailcheckError } from '../errors.ts';

function portError(what: string, host: string, port: number, err: NodeJS.ErrnoException): MailcheckError {
  if (err.code === 'EADDRINUSE') {
    return new MailcheckError('E_SANDBOX_PORT', `${what}: port ${port} on ${host} is already in use`, 'pick another --port, or stop what is using it');
  }
  if (err.code === 'EACCES') {
    return new MailcheckError('E_SANDBOX_PORT', `${what}: not allowed to listen on port ${port} of ${host}`, 'ports below 1024 need privileges; use --port 2525 or higher');
  }
  if (err.code === 'EADDRNOTAVAIL' || err.code === 'EAFNOSUPPORT') {
    return new MailcheckError('E_SANDBOX_HOST', `${what}: cannot listen on ${host} (${err.code})`, 'use --host 127.0.0.1 or --host ::1');
  }
  return new MailcheckError('E_SANDBOX_LISTEN', `${what}: cannot listen on ${host}:${port} (${err.code ?? err.message})`);
}

/** Listens on host:port (0 = random); failures become a {@link MailcheckError} naming the port. */
export function listenOn(server: Server, host: string, port: number, what: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      server.off('listening', onListening);
      reject(portError(what, host, port, err));
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve(server.address() as AddressInfo);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ host, port, exclusive: true });
  });
}

/** Binds a UDP socket; failures become a {@link MailcheckError} naming the port. */
export function bindUdp(socket: UdpSocket, host: string, port: number, what: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      socket.off('listening', onListening);
      reject(portError(what, host, port, err));
    };
    const onListening = (): void => {
      socket.off('error', onError);
      resolve(socket.address());
    };
    socket.once('error', onError);
    socket.once('listening', onListening);
    socket.bind({ address: host, port, exclusive: true });
  });
}

/** Closes a net server and destroys the sockets it still holds. */
export function closeServer(server: Server, sockets?: Set<{ destroy(): void }>): Promise<void> {
  return new Promise((resolve) => {
    if (sockets) for (const s of sockets) s.destroy();
    if (!server.listening) {
      resolve();
      return;
    }
    server.close(() => resolve());
  });
}

const LOOPBACK_V4 = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/**
 * The sandbox listens on loopback only: 127.0.0.0/8 or ::1 (`localhost` = 127.0.0.1). Anything
 * else is a usage error, so a sandbox with a throwaway password never faces a network.
 */
export function loopbackHost(host: string | undefined): string {
  const h = (host ?? '127.0.0.1').trim().replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost') return '127.0.0.1';
  if (h === '::1' || h === '0:0:0:0:0:0:0:1') return '::1';
  const m = LOOPBACK_V4.exec(h);
  if (m && m.slice(1).every((o) => Number(o) <= 255)) return h;
  throw new MailcheckError('E_USAGE', `the sandbox listens on loopback only, not on "${host}"`, 'use --host 127.0.0.1 or --host ::1');
}
