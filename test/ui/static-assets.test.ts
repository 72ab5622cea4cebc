// Issue 14 B9: pages link static files by content-hashed names served with a long immutable cache, and
// the server compresses what it sends (a browser asks with Accept-Encoding: gzip).
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestOuvidor, type TestOuvidor } from '../support/harness.ts';

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
});
