// A latency proxy for `npm run bench` (there is no `tc netem` here): TCP and UDP relays on
// 127.0.0.1 that hold every chunk for half the round-trip time in each direction, keeping order.
// The TCP handshake cannot be delayed from user space, so the first server→client chunk of a
// connection waits one extra round trip: connect + greeting then cost what they cost on a real
// network (1.5 RTT). It also counts round trips: each time a client sends after having received
// something since its previous send, it waited for the server once.
import { createSocket } from 'node:dgram';
import { createServer, connect } from 'node:net';

/** Delivers `write(chunk)` calls `delayMs` later, in order. */
function delayed(delayMs, write) {
  if (delayMs <= 0) return write;
  return (chunk) => setTimeout(() => write(chunk), delayMs);
}

/**
 * @param {{ rttMs: number, target: { host: string, port: number }, udpTarget?: { host: string, port: number } }} options
 */
export async function startLatencyProxy({ rttMs, target, udpTarget }) {
  const half = rttMs / 2;
  const sessions = [];
  const server = createServer({ noDelay: true }, (client) => {
    const record = { roundTrips: 1, bytesUp: 0, bytesDown: 0 }; // 1 = the TCP handshake
    sessions.push(record);
    let receivedSinceSend = false;
    let first = true;
    const upstream = connect({ ...target, noDelay: true });
    const toServer = delayed(half, (c) => upstream.writable && upstream.write(c));
    const toClient = delayed(half, (c) => client.writable && client.write(c));
    client.on('data', (chunk) => {
      record.bytesUp += chunk.length;
      if (receivedSinceSend) record.roundTrips++;
      receivedSinceSend = false;
      toServer(chunk);
    });
    upstream.on('data', (chunk) => {
      record.bytesDown += chunk.length;
      receivedSinceSend = true;
      if (first && rttMs > 0) {
        first = false;
        setTimeout(() => toClient(chunk), rttMs);
      } else {
        first = false;
        toClient(chunk);
      }
    });
    const end = (s) => delayed(half, () => s.end());
    client.on('end', () => end(upstream)());
    upstream.on('end', () => end(client)());
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));

  let udp;
  if (udpTarget) {
    udp = createSocket('udp4');
    const pending = new Map(); // upstream socket per client address
    udp.on('message', (msg, from) => {
      const key = `${from.address}:${from.port}`;
      let up = pending.get(key);
      if (!up) {
        up = createSocket('udp4');
        up.on('message', (reply) => setTimeout(() => udp.send(reply, from.port, from.address), half));
        pending.set(key, up);
      }
      setTimeout(() => up.send(msg, udpTarget.port, udpTarget.host), half);
    });
    await new Promise((resolve) => udp.bind(0, '127.0.0.1', resolve));
    udp.closeAll = () => {
      for (const s of pending.values()) s.close();
      udp.close();
    };
  }
  return {
    port: server.address().port,
    udpPort: udp?.address().port,
    sessions,
    async close() {
      udp?.closeAll();
      server.close();
    },
  };
}
