// Temporal remote codec endpoint (issue 7): `POST /codec/decode` and `/codec/encode` (also
// `/codec/{namespace}/decode|encode`, the CLI's templated form) with the protocol's JSON
// `{payloads:[{metadata:{key: base64}, data: base64}]}` and the `X-Namespace` header. The Temporal Web UI
// calls it from its own origin with the operator's Ouvidor session cookie (CORS with credentials); the
// CLI with `--codec-auth "Bearer <token>"`. Only admins (the operators who run Temporal) may use it:
// anonymous 401, other roles 403. Every use is audited, since a decode reads citizens' data.
import type { Payload } from '@temporalio/common';
import { type Context, Hono } from 'hono';
import { cors } from 'hono/cors';
import { z } from 'zod';
import { PayloadDecryptionError } from '../../config/payload-codec.ts';
import { audit } from '../../db/queries/users.ts';
import type { Role } from '../../db/schema.ts';
import { ApiError, errorBody, forbidden, unauthorized, zodFieldErrors } from '../errors.ts';
import { readJson } from '../json.ts';
import { clientIp } from '../rate-limit.ts';
import type { AppEnv } from '../types.ts';

/** Roles that may decode and encode Temporal payloads. */
export const codecRoles: Role[] = ['admin'];

const base64 = z.string().regex(/^[A-Za-z0-9+/_-]*={0,2}$/, 'base64 esperado');
// proto3 JSON omits an empty list: `{}` is zero payloads (the CLI sends it).
const payloadsBody = z.object({
  payloads: z
    .array(
      z.object({
        metadata: z.record(z.string(), base64).optional(),
        data: base64.optional(),
      }),
    )
    .default([]),
});
type JsonPayload = z.infer<typeof payloadsBody>['payloads'][number];

export const codecRoutes = new Hono<AppEnv>();

codecRoutes.use(
  cors({
    origin: (origin, c) => (c.var.deps.temporal.uiOrigins.includes(origin) ? origin : null),
    credentials: true,
    allowMethods: ['POST'],
    allowHeaders: ['Content-Type', 'X-Namespace', 'Authorization', 'Authorization-Extras'],
    maxAge: 600,
  }),
);

for (const op of ['encode', 'decode'] as const) {
  codecRoutes.post(`/${op}`, (c) => convert(c, op, c.req.header('x-namespace')));
  codecRoutes.post(`/:namespace/${op}`, (c) => convert(c, op, c.req.param('namespace')));
}

// Anything else under /codec (an empty or odd namespace segment, another operation) is a JSON 404.
codecRoutes.all('*', (c) =>
  c.json(
    errorBody(c, new ApiError(404, 'not_found', 'Operação de codec desconhecida: use …/decode ou …/encode')),
    404,
  ),
);

async function convert(
  c: Context<AppEnv>,
  op: 'encode' | 'decode',
  namespace: string | undefined,
): Promise<Response> {
  try {
    const { deps, user } = c.var;
    if (!user) throw unauthorized();
    if (!codecRoles.includes(user.role)) throw forbidden();
    if (namespace && namespace !== deps.temporal.namespace) {
      throw new ApiError(
        404,
        'unknown_namespace',
        `Este codec só conhece o namespace ${deps.temporal.namespace}`,
      );
    }
    if (!c.req.header('content-type')?.startsWith('application/json')) {
      throw new ApiError(415, 'unsupported_media_type', 'Envie Content-Type: application/json');
    }
    const parsed = payloadsBody.safeParse(await readJson(c.req.raw));
    if (!parsed.success)
      throw new ApiError(422, 'invalid_body', 'Dados inválidos', zodFieldErrors(parsed.error));
    const payloads = parsed.data.payloads.map(fromJson);
    const codec = deps.temporal.codec;
    let result: Payload[];
    try {
      result = op === 'decode' ? await codec.decode(payloads) : await codec.encode(payloads);
    } catch (err) {
      if (err instanceof PayloadDecryptionError)
        throw new ApiError(422, 'undecryptable_payload', err.message);
      throw err;
    }
    await audit(deps.db, {
      actor: user.email,
      action: `temporal.codec.${op}`,
      ip: clientIp(c),
      data: { namespace: deps.temporal.namespace, payloads: payloads.length },
    });
    return c.json({ payloads: result.map(toJson) });
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    return c.json(errorBody(c, err), err.status);
  }
}

function fromJson(p: JsonPayload): Payload {
  const metadata: Record<string, Uint8Array> = {};
  for (const [k, v] of Object.entries(p.metadata ?? {})) metadata[k] = Buffer.from(v, 'base64');
  return { metadata, data: Buffer.from(p.data ?? '', 'base64') };
}

function toJson(p: Payload) {
  const metadata: Record<string, string> = {};
  for (const [k, v] of Object.entries(p.metadata ?? {})) metadata[k] = Buffer.from(v).toString('base64');
  return { metadata, data: Buffer.from(p.data ?? new Uint8Array()).toString('base64') };
}
