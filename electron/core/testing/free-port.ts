// A TCP port on 127.0.0.1 that was free a moment ago, for tests that must name a port before the
// server that takes it starts (a child engine's --listen, a simulator's fixed port base).
import net from 'node:net';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}
