// REST: POST /api/v1/auth/token {email,password} → {token} (Bearer). Rate-limited and audited.
import { Hono } from 'hono';
import { ApiError } from '../errors.ts';
import { readJson } from '../json.ts';
import { tokenRequestSchema } from '../manifestations/schemas.ts';
import { limit } from '../rate-limit.ts';
import type { AppEnv } from '../types.ts';
import { signInStaff } from './sign-in.ts';

export const authRoutes = new Hono<AppEnv>();

authRoutes.post('/token', limit('token', 10), async (c) => {
  const body = tokenRequestSchema.parse(await readJson(c.req.raw));
  // per-account throttling, deactivated accounts, two-factor and the audit: api/auth/sign-in.ts
  const outcome = await signInStaff(c, body.email, body.password, 'token');
  if (outcome.kind === 'locked')
    throw new ApiError(
      429,
      'account_locked',
      `Muitas tentativas de acesso a esta conta. Tente de novo em ${outcome.minutes} minutos.`,
      undefined,
      { 'Retry-After': String(outcome.minutes * 60) },
    );
  if (outcome.kind === 'two_factor')
    throw new ApiError(
      401,
      'two_factor_required',
      'Esta conta usa verificação em duas etapas: entre pela página /entrar.',
    );
  if (outcome.kind !== 'ok') throw new ApiError(401, 'invalid_credentials', 'E-mail ou senha inválidos');
  return c.json({ token: outcome.token });
});
