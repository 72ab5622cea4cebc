// REST: POST /api/v1/auth/token {email,password} → {token} (Bearer). Rate-limited and audited.
import { Hono } from 'hono';
import { audit } from '../../db/queries/users.ts';
import { ApiError } from '../errors.ts';
import { readJson } from '../json.ts';
import { tokenRequestSchema } from '../manifestations/schemas.ts';
import { clientIp, limit } from '../rate-limit.ts';
import type { AppEnv } from '../types.ts';
import { whenAuthFailed } from './session.ts';

export const authRoutes = new Hono<AppEnv>();

authRoutes.post('/token', limit('token', 10), async (c) => {
  const body = tokenRequestSchema.parse(await readJson(c.req.raw));
  const { auth, db } = c.var.deps;
  const result = await auth.api
    .signInEmail({ body: { email: body.email, password: body.password }, headers: c.req.raw.headers })
    .catch((err: unknown) => whenAuthFailed(c, err)); // wrong password → null; database down → 503
  await audit(db, {
    actor: body.email.toLowerCase(),
    action: result ? 'auth.token.issued' : 'auth.token.denied',
    ip: clientIp(c),
  });
  if (!result?.token) throw new ApiError(401, 'invalid_credentials', 'E-mail ou senha inválidos');
  return c.json({ token: result.token });
});
