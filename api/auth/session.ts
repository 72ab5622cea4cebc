// Who is calling: a staff session (cookie or Bearer token) or nobody. Role checks fail closed.
import type { Context, MiddlewareHandler } from 'hono';
import type { Role } from '../../db/schema.ts';
import { ApiError, forbidden, unauthorized } from '../errors.ts';
import type { AppEnv } from '../types.ts';

export type StaffUser = { id: string; email: string; name: string; role: Role; unitCode: string | null };

export const staffRoles: Role[] = ['admin', 'ombudsman', 'attendant', 'unit'];

/** Loads the session (if any) into c.var.user; never rejects. */
export function loadSession(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const auth = c.var.deps.auth;
    const hasCredentials = c.req.header('authorization') || c.req.header('cookie')?.includes('ouvidor');
    if (hasCredentials) {
      const session = await auth.api.getSession({ headers: c.req.raw.headers }).catch(() => null);
      if (session?.user) {
        const u = session.user as typeof session.user & { role?: Role; unitCode?: string | null };
        c.set('user', {
          id: u.id,
          email: u.email,
          name: u.name,
          role: u.role ?? 'citizen',
          unitCode: u.unitCode ?? null,
        });
      }
    }
    await next();
  };
}

export function currentUser(c: Context<AppEnv>): StaffUser | undefined {
  return c.var.user;
}

/** Throws 401 without a session, 403 when the role is not one of `roles`. */
export function requireRole(c: Context<AppEnv>, roles: Role[] = staffRoles): StaffUser {
  const user = c.var.user;
  if (!user) throw unauthorized();
  if (!roles.includes(user.role)) throw forbidden();
  return user;
}

export function isStaff(user: StaffUser | undefined): user is StaffUser {
  return !!user && staffRoles.includes(user.role);
}

export const tooManyRequests = () =>
  new ApiError(429, 'rate_limited', 'Muitas tentativas. Aguarde um minuto e tente novamente.');
