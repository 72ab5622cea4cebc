// "Required for admins when enabled" (security.twoFactor, issue 10): an admin signed in without TOTP
// enrolled may only reach Minha conta (to enrol) and sign out; other pages redirect there and the REST
// API answers 403 `two_factor_required`.
import type { MiddlewareHandler } from 'hono';
import { readSettings } from '../../db/queries/settings.ts';
import { ApiError } from '../errors.ts';
import type { AppEnv } from '../types.ts';

const open = (path: string) =>
  path.startsWith('/painel/conta') ||
  path === '/sair' ||
  path.startsWith('/entrar') ||
  path.startsWith('/static/') ||
  path === '/api/v1/openapi.json';

export const twoFactorGate: MiddlewareHandler<AppEnv> = async (c, next) => {
  const user = c.var.user;
  if (user?.role === 'admin' && !user.twoFactorEnabled && !open(c.req.path)) {
    if ((await readSettings(c.var.deps.db))['security.twoFactor']) {
      if (c.req.path.startsWith('/api/'))
        throw new ApiError(
          403,
          'two_factor_required',
          'Ative a verificação em duas etapas em Minha conta para usar a administração.',
        );
      if (c.req.path.startsWith('/painel')) return c.redirect('/painel/conta', 303);
    }
  }
  await next();
};
