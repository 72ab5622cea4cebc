// Response compression (issue 14 B9): hono/compress gzips pages, fragments, JSON, CSS and JS; server-sent
// events (text/event-stream, chunked), images and other binary downloads pass as they are.
//
// hono/compress skips bodies under its threshold only when it can see a Content-Length, and Hono's
// c.json()/c.html() set none, so a 40-byte /healthz answer came back gzipped (larger, and a CPU cost for
// nothing). `knownSmallBodies` runs inside it: for a compressible response without a length it reads at
// most COMPRESS_THRESHOLD bytes; a body that ends there gets its Content-Length (and so stays plain), a
// longer one is handed on as a stream (the bytes read first, then the rest), so large pages and exports
// still stream and are compressed.
//
// Most answers are whole in memory (c.json, c.html): `inMemoryBodies` gzips those at once (zlib, up to
// IN_MEMORY_GZIP_MAX bytes) and hands the server a finished body, where the stream path turned each into a
// web stream, piped it through a CompressionStream and wrote it back chunk by chunk — 5 % of the main
// thread's time in the B3 bench, for the case page's JSON. Streams (exports, files, larger bodies) and
// anything it cannot see stay with hono/compress.
import { gzipSync } from 'node:zlib';
import type { MiddlewareHandler } from 'hono';
import { compress } from 'hono/compress';
import { COMPRESSIBLE_CONTENT_TYPE_REGEX } from 'hono/utils/compress';

/** Bytes below which a response is sent uncompressed (hono/compress's default, 1 KiB). */
export const COMPRESS_THRESHOLD = 1024;

/** Largest in-memory body gzipped on the spot (bytes); larger ones are compressed as a stream. */
export const IN_MEMORY_GZIP_MAX = 256 * 1024;

/** The compression middlewares, outermost first: `for (const m of compression()) app.use(m)`. */
export function compression(): MiddlewareHandler[] {
  return [
    compress({ threshold: COMPRESS_THRESHOLD }),
    knownSmallBodies(COMPRESS_THRESHOLD),
    inMemoryBodies(COMPRESS_THRESHOLD),
  ];
}

/**
 * The body of a response the server holds whole (a string or bytes), or undefined. @hono/node-server's
 * Response (what `serve()` installs as the global Response) keeps the body it was given under a symbol
 * described "cache" until something reads it as a stream; any other Response (a test's app.request, a
 * streamed body) gives undefined and goes the stream way.
 */
function wholeBody(res: Response): string | Uint8Array | undefined {
  const key = Object.getOwnPropertySymbols(res).find((s) => s.description === 'cache');
  const cached = key ? (res as unknown as Record<symbol, unknown>)[key] : undefined;
  const body = Array.isArray(cached) ? cached[1] : undefined;
  return typeof body === 'string' || body instanceof Uint8Array ? body : undefined;
}

/** Whether an Accept-Encoding header takes gzip (explicitly or by `*`, with a q above 0). */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  let star = false;
  for (const part of header.split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const taken = q === undefined || Number(q.slice(2)) > 0;
    if (name === 'gzip') return taken;
    if (name === '*') star = taken;
  }
  return star;
}

const noTransform = /(?:^|,)\s*no-transform\s*(?:,|$)/i;

function inMemoryBodies(threshold: number): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const res = c.res;
    const body = wholeBody(res);
    if (body === undefined || c.req.method === 'HEAD' || res.status === 206) return;
    const h = res.headers;
    if (h.has('content-encoding') || h.has('transfer-encoding') || h.has('content-length')) return;
    const length = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
    const compressible =
      length >= threshold &&
      length <= IN_MEMORY_GZIP_MAX &&
      COMPRESSIBLE_CONTENT_TYPE_REGEX.test(h.get('content-type') ?? '') &&
      !noTransform.test(h.get('cache-control') ?? '');
    if (!compressible || !acceptsGzip(c.req.header('accept-encoding'))) {
      // known length: hono/compress and knownSmallBodies decide without reading it as a stream
      if (length <= IN_MEMORY_GZIP_MAX) h.set('content-length', String(length));
      return;
    }
    const gz = gzipSync(body);
    const headers = new Headers(h);
    headers.set('content-encoding', 'gzip');
    headers.set('content-length', String(gz.byteLength));
    const vary = headers.get('vary');
    if (vary !== '*' && !/(?:^|,)\s*accept-encoding\s*(?:,|$)/i.test(vary ?? ''))
      headers.set('vary', vary ? `${vary}, Accept-Encoding` : 'Accept-Encoding');
    const etag = headers.get('etag');
    if (etag && !etag.startsWith('W/')) headers.set('etag', `W/${etag}`);
    // (reading statusText, or assigning over the old response, would turn the body into a stream again:
    // Hono's c.res setter reads the new body and copies the old headers; they are all in `headers` already)
    c.res = undefined;
    c.res = new Response(gz, { status: res.status, headers });
  };
}

function knownSmallBodies(threshold: number): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const res = c.res;
    const h = res.headers;
    if (
      c.req.method === 'HEAD' ||
      h.has('content-length') ||
      h.has('content-encoding') ||
      h.has('transfer-encoding') ||
      !COMPRESSIBLE_CONTENT_TYPE_REGEX.test(h.get('content-type') ?? '') ||
      !res.body // last: on the server's Response, reading it turns a whole body into a stream
    )
      return;
    const reader = res.body.getReader();
    const head: Uint8Array[] = [];
    let size = 0;
    while (size < threshold) {
      const { done, value } = await reader.read();
      if (done) {
        const body = new Uint8Array(size);
        let at = 0;
        for (const chunk of head) {
          body.set(chunk, at);
          at += chunk.length;
        }
        c.res = new Response(body, res);
        c.res.headers.set('content-length', String(size));
        return;
      }
      head.push(value);
      size += value.length;
    }
    const rest = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of head) controller.enqueue(chunk);
      },
      async pull(controller) {
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      },
      cancel: (reason) => reader.cancel(reason),
    });
    c.res = new Response(rest, res);
  };
}
