// /static: htmx from node_modules (no CDN) and our CSS. Long cache; files are versioned by package.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import type { AppEnv } from '../types.ts';

const require = createRequire(import.meta.url);
const files: Record<string, { path: string; type: string }> = {
  'htmx.js': { path: require.resolve('htmx.org/dist/htmx.min.js'), type: 'text/javascript; charset=utf-8' },
  'hx-sse.js': {
    path: require.resolve('htmx.org/dist/ext/hx-sse.min.js'),
    type: 'text/javascript; charset=utf-8',
  },
  'app.css': {
    path: fileURLToPath(new URL('../../views/static/app.css', import.meta.url)),
    type: 'text/css; charset=utf-8',
  },
};

export const staticRoutes = new Hono<AppEnv>();

staticRoutes.get('/:name', (c) => {
  const file = files[c.req.param('name')];
  if (!file) return c.notFound();
  const body = readFileSync(file.path);
  return c.body(body, 200, {
    'Content-Type': file.type,
    'Cache-Control': c.var.deps.production ? 'public, max-age=86400' : 'no-cache',
  });
});
