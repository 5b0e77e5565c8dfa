/**
 * The sandbox's HTTPS server for MTA-STS (RFC 8461 §3.3): `GET /.well-known/mta-sts.txt` answers
 * the policy for the sandbox's MX, over TLS with the sandbox's certificate (whose names include
 * `mta-sts.<domain>`). Real MTA-STS is on port 443; the sandbox listens on a random port that
 * the checks are told about (`mtaStsPort`).
 */
import { createServer, type Server } from 'node:https';
import type { Socket } from 'node:net';
import { closeServer, listenOn } from './listen.ts';
import type { KeyCert } from './certs.ts';
import type { PolicyServer } from './types.ts';


export async function startPolicyServer(host: string, tls: KeyCert, policy: string, port = 0): Promise<PolicyServer> {
  const sockets = new Set<Socket>();
  const state: PolicyServer = {
    endpoint: { host, port: 0 },
    policy,
    close: () => closeServer(server, sockets),
  };
  const server: Server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    if (state.respond) {
      res.writeHead(state.respond.status, { 'content-type': state.respond.contentType ?? 'text/plain' });
      res.end(state.respond.body);
      return;
    }
    if (req.method === 'GET' && req.url === '/.well-known/mta-sts.txt') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(state.policy);
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found\n');
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const address = await listenOn(server, host, port, 'MTA-STS policy');
  state.endpoint = { host, port: address.port };
  return state;
}
