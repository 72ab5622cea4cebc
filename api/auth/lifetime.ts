// Session lifetime (security.sessionHours): a session ends that many hours after sign-in whatever the
// activity (better-auth's own expiry slides with use). Also refuses the session of a deactivated user
// (deactivation deletes the sessions; this covers a race with a sign-in in flight).

import { eq } from 'drizzle-orm';
import type { Context } from 'hono';
import { readSettings } from '../../db/queries/settings.ts';
import { sessions } from '../../db/schema.ts';
import type { AppEnv } from '../types.ts';

type LoadedSession = { session: { id: string; createdAt: Date }; user: { active?: boolean | null } };

/** False (and the session row deleted) when the session outlived its lifetime or the user is inactive. */
export async function sessionStillValid(c: Context<AppEnv>, loaded: LoadedSession): Promise<boolean> {
  const { db } = c.var.deps;
  const hours = (await readSettings(db))['security.sessionHours'];
  const expired = new Date(loaded.session.createdAt).getTime() + hours * 3_600_000 < Date.now();
  if (!expired && loaded.user.active !== false) return true;
  await db.delete(sessions).where(eq(sessions.id, loaded.session.id));
  return false;
}
