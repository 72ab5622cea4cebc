// A concluded case's last view (db/schema/case-archives.ts): written by the projection in the same
// statement as the case's row, read when Temporal no longer has the case's workflow.
import { and, eq, gt, inArray, notExists, sql } from 'drizzle-orm';
import type { CaseView } from '../../workflows/messages.ts';
import { finalStatuses } from '../../workflows/transitions.ts';
import type { Database } from '../client.ts';
import { caseArchives, manifestations } from '../schema.ts';

/** Whether the projection keeps this view in the archive (a concluded case: closed, approved, archived). */
export const archivable = (view: Pick<CaseView, 'status'>): boolean => finalStatuses.includes(view.status);

/**
 * The statement that keeps `view` as its case's archived view; revision-guarded, so a retried or late
 * older snapshot never replaces a newer one. Part of the projection's one statement (activities/projection.ts).
 */
export function archiveStatement(db: Database, view: CaseView) {
  return db
    .insert(caseArchives)
    .values({ protocol: view.protocol, revision: view.revision, view, updatedAt: new Date() })
    .onConflictDoUpdate({
      target: caseArchives.protocol,
      set: {
        revision: sql`excluded.revision`,
        view: sql`excluded.view`,
        updatedAt: sql`excluded.updated_at`,
      },
      setWhere: sql`${caseArchives.revision} < excluded.revision`,
    });
}

/** The archived view of a concluded case, or undefined when there is none. */
export async function archivedView(db: Database, protocol: string): Promise<CaseView | undefined> {
  const [row] = await db
    .select({ view: caseArchives.view })
    .from(caseArchives)
    .where(eq(caseArchives.protocol, protocol));
  return row?.view;
}

/**
 * Up to `limit` concluded cases (protocol order, after `after`) updated in the last `days` days that have no
 * archived view yet: cases concluded before case_archives existed, for archiveConcluded.
 */
export async function unarchivedConcluded(
  db: Database,
  opts: { days: number; after: string; limit: number },
): Promise<string[]> {
  const rows = await db
    .select({ protocol: manifestations.protocol })
    .from(manifestations)
    .where(
      and(
        inArray(manifestations.status, [...finalStatuses]),
        gt(manifestations.updatedAt, sql`now() - make_interval(days => ${opts.days})`),
        gt(manifestations.protocol, opts.after),
        notExists(
          db
            .select({ one: sql`1` })
            .from(caseArchives)
            .where(eq(caseArchives.protocol, manifestations.protocol)),
        ),
      ),
    )
    .orderBy(manifestations.protocol)
    .limit(opts.limit);
  return rows.map((r) => r.protocol);
}
