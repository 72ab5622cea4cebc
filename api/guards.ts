// Door guards applied to every request before the areas (createApp): a bound on the URL (414), no control
// character in the path (404), CSRF only
// for cookie sessions, and `Cache-Control: no-store` on everything but static assets and the public
// OpenAPI document (pages and API responses carry personal data). See README "O que o Ouvidor recusa".
import type { Context, MiddlewareHandler } from 'hono';
import { csrf } from 'hono/csrf';
import { ApiError, errorBody } from './errors.ts';
import type { AppEnv } from './types.ts';
import { renderErrorPage } from './ui/render.ts';

/** Longest path + query string accepted, in bytes (longer answers 414). */
export const maxUrlBytes = 4096;

/** Paths whose error answers are JSON (the rest render the HTML error page). */
export const isJsonPath = (path: string) =>
  path.startsWith('/api/') ||
  path.startsWith('/inbound/') ||
  path.startsWith('/codec/') ||
  /^\/(healthz|readyz|livez)$/.test(path);

export function refuse(c: Context<AppEnv>, e: ApiError) {
  return isJsonPath(c.req.path) ? c.json(errorBody(c, e), e.status) : renderErrorPage(c, e);
}

/** C0 and C1 control characters (tab and newline included: no path segment holds them). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const controlChar = /[\u0000-\u001f\u007f-\u009f]/;

const decoded = (path: string) => {
  try {
    return decodeURIComponent(path);
  } catch {
    return path; // malformed escapes are the router's business (no route matches them)
  }
};

/**
 * A bound on the URL (414), and no control character in the path: an id, code or protocol with a NUL names
 * nothing (404), and must never reach PostgreSQL, which refuses NUL in text (it used to answer 500).
 */
export const limitUrl: MiddlewareHandler<AppEnv> = async (c, next) => {
  const url = new URL(c.req.url);
  if (Buffer.byteLength(url.pathname + url.search) > maxUrlBytes) {
    return refuse(
      c,
      new ApiError(414, 'uri_too_long', `Endereço longo demais (máximo ${maxUrlBytes} bytes)`),
    );
  }
  if (controlChar.test(decoded(url.pathname))) {
    return refuse(c, new ApiError(404, 'not_found', 'Endereço inválido: contém um caractere de controle'));
  }
  await next();
};

/**
 * hono/csrf (Origin / Sec-Fetch-Site check) for what a browser could forge: the form pages, and API calls
 * that carry a Cookie. A request with an Authorization header (a Bearer-token client) or an API call
 * without cookies is not a browser session: it gets 415/422 for a bad body, never 403 from this check.
 */
export function csrfForCookieSessions(allowed: (origin: string, c: Context<AppEnv>) => boolean) {
  const check = csrf({ origin: (origin, c) => allowed(origin, c as Context<AppEnv>) });
  return ((c, next) => {
    if (c.req.header('authorization')) return next();
    if (isJsonPath(c.req.path) && !c.req.header('cookie')) return next();
    return check(c, next);
  }) as MiddlewareHandler<AppEnv>;
}

const cacheable = (path: string) => path.startsWith('/static/') || path === '/api/v1/openapi.json';

export const noStore: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  if (!cacheable(c.req.path) && !c.res.headers.has('Cache-Control')) {
    c.res.headers.set('Cache-Control', 'no-store');
  }
};
