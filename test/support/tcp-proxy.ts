// A TCP proxy between the app and a server (PostgreSQL) that a test can sever and restore: the way to
// "cut the database" without stopping the shared PostgreSQL server that other tests use.
import net from 'node:net';

export type TcpProxy = {
  port: number;
  url: (target: string) => string;
  /** Drops every open connection and refuses new ones (accepted, then reset at once). */
  sever: () => void;
  restore: () => void;
  close: () => Promise<void>;
};

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let up = true;
  const open = new Set<net.Socket>();
  const server = net.createServer((client) => {
    if (!up) {
      client.resetAndDestroy();
      return;
    }
    const upstream = net.connect(target.port, target.host);
    open.add(client);
    open.add(upstream);
    const drop = () => {
      open.delete(client);
      open.delete(upstream);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    /** `target` (a postgres:// URL) rewritten to go through the proxy. */
    url: (u) => {
      const url = new URL(u);
      url.hostname = '127.0.0.1';
      url.port = String(port);
      return url.toString();
    },
    sever: () => {
      up = false;
      for (const s of open) s.resetAndDestroy();
      open.clear();
    },
    restore: () => {
      up = true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };
}
