// Per-client rate limits for public endpoints (sign-in, token, filing, access-code checks).
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { rateLimiter } from 'hono-rate-limiter';
import { tooManyRequests } from './auth/session.ts';
import { errorBody } from './errors.ts';
import type { AppEnv } from './types.ts';

export function clientIp(c: Context<AppEnv>): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown'; // in-process requests (tests) have no socket
  }
}

/**
 * `name` separates the buckets of different endpoints. Only requests that failed on our side (5xx: an
 * outage, a bug) are given back: a retry after a 503 must not use up the client's budget, while wrong
 * passwords (401) and refused input (4xx) still count.
 */
export function limit(name: string, perMinute: number) {
  return rateLimiter<AppEnv>({
    windowMs: 60_000,
    limit: (c) => c.var.deps.rateLimit?.limit ?? perMinute,
    keyGenerator: (c) => `${name}:${clientIp(c)}`,
    standardHeaders: 'draft-7',
    skipFailedRequests: true,
    requestWasSuccessful: (c) => c.res.status < 500,
    handler: (c) => {
      const e = tooManyRequests();
      const accept = c.req.header('accept') ?? '';
      if (accept.includes('text/html')) return c.text(e.message, 429);
      return c.json(errorBody(c, e), 429);
    },
  });
}
