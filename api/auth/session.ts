// Who is calling: a staff session (cookie or Bearer token) or nobody. Role checks fail closed.
import type { Context, MiddlewareHandler } from 'hono';
import type { Role } from '../../db/schema.ts';
import { ApiError, forbidden, outagePart, unauthorized, unavailable } from '../errors.ts';
import { checkDatabase } from '../health.ts';
import type { AppEnv } from '../types.ts';
import { sessionStillValid } from './lifetime.ts';

export type StaffUser = {
  id: string;
  email: string;
  name: string;
  role: Role;
  unitCode: string | null;
  /** TOTP enrolled (better-auth twoFactor plugin); undefined where not known */
  twoFactorEnabled?: boolean;
};

export const staffRoles: Role[] = ['admin', 'ombudsman', 'attendant', 'unit'];

/**
 * Loads the session (if any) into c.var.user. An unknown or expired session is "signed out"; a session
 * that could not be looked up because the database is down is an outage: 503, never 401.
 */
export function loadSession(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const auth = c.var.deps.auth;
    const hasCredentials = c.req.header('authorization') || c.req.header('cookie')?.includes('ouvidor');
    if (hasCredentials) {
      const session = await auth.api
        .getSession({ headers: c.req.raw.headers })
        .catch((err: unknown) => whenAuthFailed(c, err));
      if (!session) await whenAuthFailed(c, null);
      // a deactivated user or a session older than security.sessionHours is signed out (api/auth/lifetime.ts)
      if (session?.user && (await sessionStillValid(c, session))) {
        const u = session.user as typeof session.user & {
          role?: Role;
          unitCode?: string | null;
          twoFactorEnabled?: boolean | null;
        };
        c.set('user', {
          id: u.id,
          email: u.email,
          name: u.name,
          role: u.role ?? 'citizen',
          unitCode: u.unitCode ?? null,
          twoFactorEnabled: !!u.twoFactorEnabled,
        });
      }
    }
    await next();
  };
}

/**
 * better-auth reports a failed lookup as "no session" (or a generic error): before treating the caller as
 * signed out (or the credentials as wrong), tell an outage apart. Throws 503 `unavailable` when the error is
 * a connection error or the database does not answer a `select 1`; otherwise resolves with null.
 */
export async function whenAuthFailed(c: Context<AppEnv>, err: unknown): Promise<null> {
  const part = outagePart(err);
  if (part) throw unavailable(part);
  if ((await checkDatabase(c.var.deps.db)) !== 'ok') throw unavailable('database');
  return null;
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
