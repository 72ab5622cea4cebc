// /static: htmx from node_modules (no CDN) and our CSS. Pages link each file by a content-hashed name
// (assetUrl: /static/app.3f9c2a1b.css) served with a one-year `immutable` cache: a browser never asks for
// it again, and a new build changes the name. The plain name (/static/app.css) still answers, revalidated
// by ETag, for links kept from before.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import type { AppEnv } from '../types.ts';

const require = createRequire(import.meta.url);
const sources: Record<string, { path: string; type: string }> = {
  'htmx.js': { path: require.resolve('htmx.org/dist/htmx.min.js'), type: 'text/javascript; charset=utf-8' },
  'hx-sse.js': {
    path: require.resolve('htmx.org/dist/ext/hx-sse.min.js'),
    type: 'text/javascript; charset=utf-8',
  },
  // the demo organisation's logo (SEED_DEMO=1 sets org.logoUrl to it): shown on the site and in the PDFs
  'demo-logo.png': {
    path: fileURLToPath(new URL('../../views/static/demo-logo.png', import.meta.url)),
    type: 'image/png',
  },
  'app.css': {
    path: fileURLToPath(new URL('../../views/static/app.css', import.meta.url)),
    type: 'text/css; charset=utf-8',
  },
};

type Asset = { body: Buffer; type: string; hash: string; hashedName: string };
const loaded = new Map<string, Asset>();

/** The file behind a plain name, read and hashed once (re-read in development, so CSS edits show). */
function load(name: string, dev: boolean): Asset | undefined {
  const src = sources[name];
  if (!src) return undefined;
  const known = loaded.get(name);
  if (known && !dev) return known;
  const body = readFileSync(src.path);
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 10);
  const dot = name.lastIndexOf('.');
  const asset = { body, type: src.type, hash, hashedName: `${name.slice(0, dot)}.${hash}${name.slice(dot)}` };
  loaded.set(name, asset);
  return asset;
}

/** The content-hashed URL of a static file, e.g. assetUrl('app.css') → '/static/app.3f9c2a1b0d.css'. */
export function assetUrl(name: string): string {
  const asset = load(name, process.env.NODE_ENV !== 'production');
  if (!asset) throw new Error(`unknown static asset ${name}`);
  return `/static/${asset.hashedName}`;
}

export const staticRoutes = new Hono<AppEnv>();

staticRoutes.get('/:name', (c) => {
  const requested = c.req.param('name');
  // app.3f9c2a1b0d.css → app.css with that hash
  const m = /^(.+)\.([0-9a-f]{10})(\.[a-z]+)$/.exec(requested);
  const name = m ? `${m[1]}${m[3]}` : requested;
  const asset = load(name, !c.var.deps.production);
  if (!asset) return c.notFound();
  const etag = `"${asset.hash}"`;
  // Only the current content under its own hash is immutable; another build's name (a page rendered
  // before a deploy) gets today's file, revalidated.
  const immutable = m?.[2] === asset.hash;
  if (!immutable && c.req.header('if-none-match') === etag) return c.body(null, 304, { ETag: etag });
  return c.body(new Uint8Array(asset.body), 200, {
    'Content-Type': asset.type,
    ETag: etag,
    'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
});
