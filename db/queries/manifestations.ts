// Reads of the manifestation read model: filtered, full-text searched, keyset-paginated lists.
import { and, asc, desc, eq, gte, lt, lte, or, type SQL, sql } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { manifestations, timelineEvents } from '../schema.ts';

export type ManifestationFilter = {
  status?: string | undefined;
  kind?: string | undefined;
  q?: string | undefined;
  assignee?: string | undefined;
  unit?: string | undefined;
  openedFrom?: Date | undefined;
  openedTo?: Date | undefined;
  dueFrom?: Date | undefined;
  dueTo?: Date | undefined;
  cursor?: string | undefined;
  limit?: number | undefined;
};

export type ManifestationRow = typeof manifestations.$inferSelect;

/** Newest first; the cursor is "<receivedAt ISO>|<protocol>" of the last row of the previous page. */
export async function listManifestations(db: Database, f: ManifestationFilter) {
  const limit = Math.min(Math.max(f.limit ?? 25, 1), 100);
  const where: SQL[] = [];
  if (f.status) where.push(eq(manifestations.status, f.status));
  if (f.kind) where.push(eq(manifestations.kind, f.kind));
  if (f.assignee) where.push(eq(manifestations.assignee, f.assignee));
  if (f.unit) where.push(sql`${f.unit} = ANY(${manifestations.units})`);
  if (f.openedFrom) where.push(gte(manifestations.receivedAt, f.openedFrom));
  if (f.openedTo) where.push(lte(manifestations.receivedAt, f.openedTo));
  if (f.dueFrom) where.push(gte(manifestations.dueAt, f.dueFrom));
  if (f.dueTo) where.push(lte(manifestations.dueAt, f.dueTo));
  const q = f.q?.trim();
  if (q) {
    const text = sql`${manifestations.searchVector} @@ websearch_to_tsquery('pt_unaccent', ${q})`;
    // Protocol numbers are matched by substring (pg_trgm index), e.g. "000123" or "OUV-2026-0001".
    where.push(or(text, sql`${manifestations.protocol} ILIKE ${`%${q.replace(/[%_\\]/g, '')}%`}`) as SQL);
  }
  const cursor = decodeCursor(f.cursor);
  if (cursor) {
    where.push(
      or(
        lt(manifestations.receivedAt, cursor.receivedAt),
        and(eq(manifestations.receivedAt, cursor.receivedAt), lt(manifestations.protocol, cursor.protocol)),
      ) as SQL,
    );
  }
  const rows = await db
    .select()
    .from(manifestations)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(manifestations.receivedAt), desc(manifestations.protocol))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const nextCursor = rows.length > limit && last ? `${last.receivedAt.toISOString()}|${last.protocol}` : null;
  return { items: page, nextCursor };
}

function decodeCursor(cursor: string | undefined): { receivedAt: Date; protocol: string } | undefined {
  if (!cursor) return undefined;
  const [at, protocol] = cursor.split('|');
  const receivedAt = new Date(at ?? '');
  if (!protocol || Number.isNaN(receivedAt.getTime())) return undefined;
  return { receivedAt, protocol };
}

export async function getManifestation(
  db: Database,
  protocol: string,
): Promise<ManifestationRow | undefined> {
  const [row] = await db.select().from(manifestations).where(eq(manifestations.protocol, protocol));
  return row;
}

export async function getTimeline(db: Database, protocol: string) {
  return db
    .select()
    .from(timelineEvents)
    .where(eq(timelineEvents.protocol, protocol))
    .orderBy(asc(timelineEvents.seq));
}

export async function countByStatus(db: Database) {
  return db
    .select({ status: manifestations.status, count: sql<number>`count(*)::int` })
    .from(manifestations)
    .groupBy(manifestations.status);
}
