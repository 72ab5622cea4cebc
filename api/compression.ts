// Response compression (issue 14 B9): hono/compress gzips pages, fragments, JSON, CSS and JS; server-sent
// events (text/event-stream, chunked), images and other binary downloads pass as they are.
//
// hono/compress skips bodies under its threshold only when it can see a Content-Length, and Hono's
// c.json()/c.html() set none, so a 40-byte /healthz answer came back gzipped (larger, and a CPU cost for
// nothing). `knownSmallBodies` runs inside it: for a compressible response without a length it reads at
// most COMPRESS_THRESHOLD bytes; a body that ends there gets its Content-Length (and so stays plain), a
// longer one is handed on as a stream (the bytes read first, then the rest), so large pages and exports
// still stream and are compressed.
import type { MiddlewareHandler } from 'hono';
import { compress } from 'hono/compress';
import { COMPRESSIBLE_CONTENT_TYPE_REGEX } from 'hono/utils/compress';

/** Bytes below which a response is sent uncompressed (hono/compress's default, 1 KiB). */
export const COMPRESS_THRESHOLD = 1024;

/** The compression middlewares, outermost first: `for (const m of compression()) app.use(m)`. */
export function compression(): MiddlewareHandler[] {
  return [compress({ threshold: COMPRESS_THRESHOLD }), knownSmallBodies(COMPRESS_THRESHOLD)];
}

function knownSmallBodies(threshold: number): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const res = c.res;
    const h = res.headers;
    if (
      !res.body ||
      c.req.method === 'HEAD' ||
      h.has('content-length') ||
      h.has('content-encoding') ||
      h.has('transfer-encoding') ||
      !COMPRESSIBLE_CONTENT_TYPE_REGEX.test(h.get('content-type') ?? '')
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
