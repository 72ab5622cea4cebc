// The citizen's access to the portal: after protocol + access code (or a signed follow link), a signed,
// HttpOnly cookie lists the protocols this browser may follow for a few hours.
import type { Context } from 'hono';
import { getSignedCookie, setSignedCookie } from 'hono/cookie';
import { citizenOwnsCase } from '../../db/queries/people.ts';
import { isStaff } from '../auth/session.ts';
import { ApiError } from '../errors.ts';
import type { AppEnv } from '../types.ts';

export const followCookie = 'ouvidor_follow';
const maxProtocols = 10;

export async function followedProtocols(c: Context<AppEnv>): Promise<string[]> {
  const value = await getSignedCookie(c, c.var.deps.secret, followCookie);
  return typeof value === 'string' && value ? value.split(',') : [];
}

/** The follow cookie names the case, or the signed-in citizen owns it (filed with their e-mail or linked). */
export async function canFollow(c: Context<AppEnv>, protocol: string): Promise<boolean> {
  if ((await followedProtocols(c)).includes(protocol)) return true;
  const user = c.var.user;
  return user?.role === 'citizen' && (await citizenOwnsCase(c.var.deps.db, user.email, protocol));
}

/** Adds `protocol` to this browser's follow cookie (most recent first, at most ten). */
export async function grantFollowAccess(c: Context<AppEnv>, protocol: string): Promise<void> {
  const granted = await followedProtocols(c);
  const next = [protocol, ...granted.filter((p) => p !== protocol)].slice(0, maxProtocols);
  await setSignedCookie(c, followCookie, next.join(','), c.var.deps.secret, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: c.var.deps.production,
    path: '/acompanhar',
    maxAge: 60 * 60 * 8,
  });
}

/** 403 for a portal POST without access to this protocol (expired or foreign cookie). */
export const followRequired = () =>
  new ApiError(
    403,
    'follow_required',
    'Para continuar, informe de novo o protocolo e o código de acesso da manifestação.',
  );

/**
 * A staff session never acts as a citizen (issue 7): citizen doors — follow form, follow link, portal,
 * citizen REST actions — refuse while a staff session (cookie or Bearer) is present, whatever credential
 * of the citizen comes with it.
 */
export const staffSessionRefused = () =>
  new ApiError(
    403,
    'staff_session',
    'Você está conectado como equipe da ouvidoria. Para agir como manifestante, saia primeiro (Sair): uma sessão da equipe nunca usa o código de acesso ou o link de um cidadão.',
  );

export function isStaffSession(c: Context<AppEnv>): boolean {
  return isStaff(c.var.user);
}
