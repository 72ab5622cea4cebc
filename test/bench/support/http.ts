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
