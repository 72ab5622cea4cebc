// The HTTP server around the app (server.ts, and the tests that need a real socket). Node's default
// header limit (16 KiB) answers an oversized request line + cookies with a bare 431 or a closed socket;
// the limit is raised so the app itself answers long URLs with 414 (api/guards.ts), and whatever Node's
// parser still refuses gets a short HTTP answer instead of silence.
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import type { AppEnv } from './types.ts';

/** Request line + headers Node accepts, in bytes; URLs above api/guards.ts maxUrlBytes get 414 from the app. */
export const maxHeaderBytes = 64 * 1024;

export type ServedApp = { port: number; close: () => Promise<void> };

export function serveApp(app: Hono<AppEnv>, opts: { port: number; hostname?: string }): Promise<ServedApp> {
  return new Promise((resolve) => {
    const server = serve(
      {
        fetch: app.fetch,
        port: opts.port,
        hostname: opts.hostname ?? '0.0.0.0',
        serverOptions: { maxHeaderSize: maxHeaderBytes },
      },
      (info: AddressInfo) =>
        resolve({
          port: info.port,
          close: () => new Promise<void>((r) => server.close(() => r())),
        }),
    );
    server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
      if (!socket.writable) return socket.destroy();
      const status =
        err.code === 'HPE_HEADER_OVERFLOW'
          ? '431 Request Header Fields Too Large'
          : err.code === 'HPE_URI_TOO_LONG'
            ? '414 URI Too Long'
            : '400 Bad Request';
      const body = JSON.stringify({ error: { code: 'bad_request', message: status.slice(4) } });
      socket.end(
        `HTTP/1.1 ${status}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
      );
    });
  });
}
