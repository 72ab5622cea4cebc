// Issue 14 B9: pages link static files by content-hashed names served with a long immutable cache, and
// the server compresses what it sends (a browser asks with Accept-Encoding: gzip).
import http from 'node:http';
import { gunzipSync, inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptsGzip } from '../../api/compression.ts';
import { serveApp } from '../../api/serve.ts';
import { startTestOuvidor, type TestOuvidor } from '../support/harness.ts';

/** GET over a real socket: status, headers and the bytes as sent (not decompressed). */
function rawGet(port: number, path: string, headers: Record<string, string>) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; bytes: Buffer }>(
    (resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port, path, headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes: Buffer.concat(chunks) }),
          );
        })
        .on('error', reject);
    },
  );
}

let t: TestOuvidor;
beforeAll(async () => {
  t = await startTestOuvidor();
});
afterAll(async () => t?.stop());

describe('static assets and compression', () => {
  it('links CSS and htmx by hashed names that are cached for a year, immutable', async () => {
    const html = await (await t.app.request('/registrar')).text();
    const css = html.match(/href="(\/static\/app\.[0-9a-f]{10}\.css)"/)?.[1];
    const htmx = html.match(/src="(\/static\/htmx\.[0-9a-f]{10}\.js)"/)?.[1];
    expect(css).toBeTruthy();
    expect(htmx).toBeTruthy();
    for (const url of [css!, htmx!]) {
      const res = await t.app.request(url);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    }
    // the plain name still answers (links kept from before), revalidated
    const plain = await t.app.request('/static/app.css');
    expect(plain.status).toBe(200);
    expect(plain.headers.get('cache-control')).toBe('no-cache');
    expect(await plain.text()).toBe(await (await t.app.request(css!)).text());
    const again = await t.app.request('/static/app.css', {
      headers: { 'if-none-match': plain.headers.get('etag')! },
    });
    expect(again.status).toBe(304);
  });

  it('gzips pages and assets for clients that accept it, and leaves others alone', async () => {
    const gz = await t.app.request('/registrar', { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(gz.headers.get('vary')).toMatch(/Accept-Encoding/i);
    const body = Buffer.from(await gz.arrayBuffer());
    const plain = await (await t.app.request('/registrar')).text();
    expect(body.length).toBeLessThan(plain.length / 2);
    expect(gunzipSync(body).toString('utf8')).toContain('<form');
    const identity = await t.app.request('/registrar');
    expect(identity.headers.get('content-encoding')).toBeNull();
  });

  it('sends a small answer as it is, with its length (gzip would only make it bigger)', async () => {
    const res = await t.app.request('/healthz', { headers: { 'accept-encoding': 'gzip' } });
    expect(res.headers.get('content-type')).toMatch(/json/);
    expect(res.headers.get('content-encoding')).toBeNull();
    const body = await res.text();
    expect(body.length).toBeLessThan(1024);
    expect(res.headers.get('content-length')).toBe(String(Buffer.byteLength(body)));
    expect(JSON.parse(body)).toBeTruthy();
  });

  it('over the network, sends a whole page gzipped at once, with its length (not chunked)', async () => {
    const served = await serveApp(t.app, { port: 0, hostname: '127.0.0.1' });
    try {
      const gz = await rawGet(served.port, '/registrar', { 'accept-encoding': 'gzip, deflate, br' });
      expect(gz.status).toBe(200);
      expect(gz.headers['content-encoding']).toBe('gzip');
      expect(gz.headers['content-length']).toBe(String(gz.bytes.length));
      expect(gz.headers['transfer-encoding']).toBeUndefined();
      expect(gz.headers.vary).toMatch(/Accept-Encoding/i);
      expect(gz.headers['content-security-policy']).toBeTruthy(); // the other headers are all there
      const page = gunzipSync(gz.bytes).toString('utf8');
      expect(page).toContain('<form');

      const plain = await rawGet(served.port, '/registrar', {});
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.headers['content-length']).toBe(String(plain.bytes.length));
      expect(plain.bytes.length).toBeGreaterThan(gz.bytes.length * 2);

      const refused = await rawGet(served.port, '/registrar', { 'accept-encoding': 'gzip;q=0, identity' });
      expect(refused.headers['content-encoding']).toBeUndefined();

      // a client that takes deflate only still gets it (the stream path)
      const deflated = await rawGet(served.port, '/registrar', { 'accept-encoding': 'deflate' });
      expect(deflated.headers['content-encoding']).toBe('deflate');
      expect(inflateSync(deflated.bytes).toString('utf8')).toContain('<form');

      const small = await rawGet(served.port, '/healthz', { 'accept-encoding': 'gzip' });
      expect(small.headers['content-encoding']).toBeUndefined();
      expect(JSON.parse(small.bytes.toString('utf8'))).toBeTruthy();
    } finally {
      await served.close();
    }
  });

  it('reads Accept-Encoding as a browser or a client sends it', () => {
    expect(acceptsGzip('gzip, deflate, br')).toBe(true);
    expect(acceptsGzip('br;q=1.0, GZIP;q=0.5')).toBe(true);
    expect(acceptsGzip('*')).toBe(true);
    expect(acceptsGzip('gzip;q=0, *')).toBe(false);
    expect(acceptsGzip('identity')).toBe(false);
    expect(acceptsGzip('deflate')).toBe(false);
    expect(acceptsGzip(undefined)).toBe(false);
  });
});
