// The identity-access log (append-only in PostgreSQL itself: see migration 0014): one row per reveal of a
// protected reporter identity.
import { randomUUID } from 'node:crypto';
import { desc, eq } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { identityAccessLog } from '../schema.ts';

export type IdentityAccessRow = typeof identityAccessLog.$inferSelect;

export async function appendIdentityAccess(
  db: Database,
  entry: { actor: string; actorRole: string; protocol: string; purpose: string },
): Promise<IdentityAccessRow> {
  const [row] = await db
    .insert(identityAccessLog)
    .values({ id: randomUUID(), ...entry })
    .returning();
  if (!row) throw new Error('identity access not recorded');
  return row;
}

/** Newest first; `protocol` narrows to one case. At most `limit` rows (1–500). */
export async function listIdentityAccess(
  db: Database,
  f: { protocol?: string | undefined; limit?: number | undefined } = {},
): Promise<IdentityAccessRow[]> {
  const limit = Math.min(Math.max(f.limit ?? 100, 1), 500);
  return db
    .select()
    .from(identityAccessLog)
    .where(f.protocol ? eq(identityAccessLog.protocol, f.protocol) : undefined)
    .orderBy(desc(identityAccessLog.at))
    .limit(limit);
}
