// HTTP helpers for the bench: a staff cookie session (signed in through the form), and raw transfers
// (bytes on the wire, before the client would decompress them).
import http from 'node:http';
import type { BenchInstance } from './instance.ts';

export const ADMIN = { email: 'bench@ouvidor.local', password: 'bench-password-1' };

/** Signs in through /entrar as a browser does; returns the Cookie header. */
export async function signIn(b: BenchInstance): Promise<string> {
  const res = await fetch(`${b.base}/entrar`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: b.base },
    body: new URLSearchParams(ADMIN).toString(),
  });
  if (res.status !== 303) throw new Error(`sign-in: ${res.status}`);
  return res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}

/** GET `path` and count the bytes transferred (body as sent, compressed or not). */
export function transfer(
  base: string,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; bytes: number; encoding: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = http.get(new URL(path, base), { headers }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
      });
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          bytes,
          encoding: res.headers['content-encoding'] as string | undefined,
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

/** Retries made by clientFetch since the process started, by reason (reported by the soak). */
export const retries = { pending: 0, connection: 0 };

/** What a failed fetch says: its message and, for a network error, the socket's code. */
export function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause as { code?: string; message?: string } | undefined;
  return cause ? `${err.message} (${cause.code ?? cause.message ?? 'no cause'})` : err.message;
}

const CONNECTION_LOST = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

/**
 * fetch as a well-behaved client retries, and only that:
 * - a 503 with Retry-After (the documented `pending` answer of a request that waited too long on a
 *   workflow) is sent again, same body and Idempotency-Key, after that delay;
 * - a request whose kept-alive connection was closed under it (reset before an answer) is sent once
 *   more, as browsers do, if it is safe to repeat: a GET, or a POST with an Idempotency-Key.
 * Everything else (a 500, a refused connection, a timeout) is returned or thrown as it is. Each retry is
 * counted in `retries`, so a run shows how often the client had to step in.
 */
export async function clientFetch(url: string, init: RequestInit = {}, attempts = 10): Promise<Response> {
  const method = (init.method ?? 'GET').toUpperCase();
  const headers = new Headers(init.headers);
  const repeatable = method === 'GET' || method === 'HEAD' || headers.has('idempotency-key');
  let resent = false;
  for (let i = 1; ; i++) {
    let res: Response;
    try {
      res = await fetch(url, init);
    } catch (err) {
      const code = (err as { cause?: { code?: string } }).cause?.code;
      if (!repeatable || resent || !code || !CONNECTION_LOST.has(code)) throw err;
      resent = true;
      retries.connection++;
      continue;
    }
    const after = Number(res.headers.get('retry-after'));
    if (res.status !== 503 || !after || i >= attempts) return res;
    await res.arrayBuffer();
    retries.pending++;
    await new Promise((r) => setTimeout(r, after * 1000));
  }
}
