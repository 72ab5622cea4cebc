// The HTTP doors for inbound mail, mounted at /inbound (before the app-wide 1 MiB body limit; each door
// applies INBOUND_MAX_BYTES itself):
//   POST /inbound/mime   raw RFC 822 (Content-Type message/rfc822), header X-Inbound-Secret; optional
//                        X-Envelope-From / X-Envelope-To (comma-separated) from the MTA (Postfix pipe, Haraka)
//   POST /inbound/resend Resend `email.received` webhook (svix-style signature headers)
import { timingSafeEqual } from 'node:crypto';
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ApiError, errorBody } from '../errors.ts';
import type { AppEnv } from '../types.ts';
import { emailContext } from './context.ts';
import { receiveEmail } from './pipeline.ts';
import { handleResendWebhook } from './resend.ts';

export const inboundRoutes = new Hono<AppEnv>();

const limitBody: MiddlewareHandler<AppEnv> = (c, next) =>
  bodyLimit({
    maxSize: emailContext(c.var.deps).mail.inbound.maxBytes,
    onError: (c) => c.json(errorBody(c, new ApiError(413, 'too_large', 'Mensagem maior que o limite')), 413),
  })(c, next);

function sameSecret(given: string | undefined, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

// These paths are outside /api, so errors are answered here as JSON (the app would render an HTML page).
const fail = (c: Context<AppEnv>, e: ApiError) => c.json(errorBody(c, e), e.status);

inboundRoutes.post('/mime', limitBody, async (c) => {
  const ctx = emailContext(c.var.deps);
  const secret = ctx.mail.inbound.secret;
  if (!secret) return fail(c, new ApiError(503, 'inbound_disabled', 'INBOUND_SECRET não configurado'));
  if (!sameSecret(c.req.header('x-inbound-secret'), secret)) {
    return fail(c, new ApiError(401, 'unauthorized', 'X-Inbound-Secret inválido'));
  }
  const raw = Buffer.from(await c.req.arrayBuffer());
  if (raw.byteLength === 0) return fail(c, new ApiError(422, 'invalid_body', 'Mensagem vazia'));
  const rcpt = c.req.header('x-envelope-to');
  const mailFrom = c.req.header('x-envelope-from');
  const envelope =
    rcpt || mailFrom !== undefined
      ? {
          mailFrom: mailFrom?.replace(/^<|>$/g, '') ?? null,
          rcptTo: (rcpt ?? '')
            .split(',')
            .map((a) => a.trim())
            .filter(Boolean),
        }
      : undefined;
  const { refused: _refused, ...result } = await receiveEmail(ctx, {
    raw,
    door: 'mime',
    ...(envelope ? { envelope } : {}),
  });
  return c.json(result, result.duplicate ? 200 : 202);
});

inboundRoutes.post('/resend', limitBody, async (c) => {
  const ctx = emailContext(c.var.deps);
  const outcome = await handleResendWebhook(ctx, await c.req.text(), {
    id: c.req.header('svix-id') ?? c.req.header('webhook-id') ?? '',
    timestamp: c.req.header('svix-timestamp') ?? c.req.header('webhook-timestamp') ?? '',
    signature: c.req.header('svix-signature') ?? c.req.header('webhook-signature') ?? '',
  });
  if (outcome.status !== 200) {
    const code = outcome.status === 401 ? 'invalid_signature' : 'inbound_disabled';
    return fail(c, new ApiError(outcome.status, code, outcome.error));
  }
  return c.json(outcome, 200);
});
