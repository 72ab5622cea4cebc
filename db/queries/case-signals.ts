// Which cases a settings change must reach: closed cases whose workflow may still be live (inside the
// reopen window), paged by protocol. Open cases come from openProtocols in db/queries/sla.ts.
import { and, asc, gt, gte, inArray } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { manifestations } from '../schema.ts';
import { finalStatuses } from './sla.ts';

/** Closed/approved/archived cases last changed at or after `since`, protocols after `after`, ascending. */
export async function recentlyFinishedProtocols(
  db: Database,
  since: Date,
  after: string | null,
  limit: number,
): Promise<string[]> {
  const finished = and(inArray(manifestations.status, finalStatuses), gte(manifestations.updatedAt, since));
  const rows = await db
    .select({ protocol: manifestations.protocol })
    .from(manifestations)
    .where(after === null ? finished : and(finished, gt(manifestations.protocol, after)))
    .orderBy(asc(manifestations.protocol))
    .limit(limit);
  return rows.map((r) => r.protocol);
}
