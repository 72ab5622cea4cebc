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

/** Retries made by clientFetch since the process started (reported by the soak). */
export const retries = { count: 0 };

/**
 * fetch as a well-behaved client: a 503 with Retry-After (the documented `pending` answer of a request
 * that waited too long on a workflow) is sent again, same body and Idempotency-Key, after that delay.
 */
export async function clientFetch(url: string, init: RequestInit = {}, attempts = 10): Promise<Response> {
  for (let i = 1; ; i++) {
    const res = await fetch(url, init);
    const after = Number(res.headers.get('retry-after'));
    if (res.status !== 503 || !after || i >= attempts) return res;
    await res.arrayBuffer();
    retries.count++;
    await new Promise((r) => setTimeout(r, after * 1000));
  }
}
