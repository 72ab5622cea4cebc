// Reads of the manifestation read model: the staff list (filters, search, queues, three sorts with keyset
// pagination), the queue counts, single rows and timelines. Policy (who may search whose reporter, what
// "me" and "today" are) arrives resolved from api/; this file only turns it into SQL.
import {
  and,
  asc,
  desc,
  eq,
  getTableColumns,
  gte,
  inArray,
  isNull,
  lt,
  lte,
  type SQL,
  sql,
} from 'drizzle-orm';
import type { Database } from '../client.ts';
import { casePeople, companies, people } from '../schema/people.ts';
import { caseNews, caseReads, manifestations as m, timelineEvents } from '../schema.ts';
import { type SearchCondition, searchCondition, shouldWalk } from './manifestations-search.ts';
import { countOfficeQueues } from './queue-counts.ts';
import { type Runner, runPrepared } from './statement-cache.ts';

/** Statuses in which the office still owes something against a deadline (deadline queues and colours). */
export const pendingStatuses = ['received', 'in_progress', 'forwarded', 'awaiting_citizen'] as const;
export type Sort = 'received' | 'due' | 'priority';
export type Queue =
  | 'mine'
  | 'unassigned'
  | 'due_soon'
  | 'due_today'
  | 'overdue'
  | 'overdue_unassigned'
  | 'awaiting_unit'
  | 'awaiting_citizen'
  | 'new_activity';

/** Who is looking, and the instants that bound the deadline queues (computed on the org calendar). */
export type Viewer = {
  userId: string;
  email: string;
  /** unit staff see only their unit's cases */
  unitScope: string | null;
  /** identities whose reporter this viewer may find by name/e-mail (from the disclosure policy) */
  reporterSearchable: readonly string[];
  /**
   * identities whose person record (VIP, company) this viewer may see linked to a case (issue 11; from the
   * disclosure policy: reporter seen in full); absent = none, so VIP/company filters match nothing
   */
  recordIdentities?: readonly string[];
};
export type QueueWindow = { now: Date; todayEnd: Date; soonEnd: Date };

export type ManifestationFilter = {
  q?: string | undefined;
  queue?: Queue | undefined;
  status?: string | undefined;
  kind?: string | undefined;
  topic?: string | undefined;
  item?: string | undefined;
  /** an e-mail, or null for "nobody" */
  assignee?: string | null | undefined;
  unit?: string | undefined;
  /** attendant group code (issue 10: "solicitações separadas por grupo") */
  group?: string | undefined;
  priority?: string | undefined;
  channel?: string | undefined;
  sla?: string | undefined;
  /** issue 11: only cases of VIP people (or people of VIP companies) */
  vip?: boolean | undefined;
  /** issue 11: only cases of people of this company (id) */
  company?: string | undefined;
  openedFrom?: Date | undefined;
  openedTo?: Date | undefined;
  dueFrom?: Date | undefined;
  dueTo?: Date | undefined;
  sort?: Sort | undefined;
  cursor?: CursorKeys | undefined;
  limit?: number | undefined;
};

export type ManifestationRow = typeof m.$inferSelect;
/** The search columns stay in the database: a list page never shows them, and they are most of a row's bytes. */
const { searchDocument, reporterDocument, searchText, searchVector, reporterVector, ...listColumns } =
  getTableColumns(m);
export type ListRow = Omit<
  ManifestationRow,
  'searchDocument' | 'reporterDocument' | 'searchText' | 'searchVector' | 'reporterVector'
> & { hasNews: boolean; vip?: boolean };

/** The sort keys of the last row of a page: [receivedAt|due|priorityRank, (due), protocol]. */
export type CursorKeys = (string | number)[];

/** The database or a transaction, as the list reads it. */
type Reader = Runner & Pick<Database, 'select'>;

const dueKey = sql`coalesce(${m.dueAt}, 'infinity'::timestamptz)`;
const isOpen = inArray(m.status, [...pendingStatuses]);

/**
 * Whether the case has news for the viewer: a row of case_news, kept by triggers (migration case_news):
 * the last news event is past what the viewer saw, someone else caused it, and the viewer follows the case
 * (assignee, or opened it before).
 */
function newsFor(viewer: Viewer): SQL {
  return sql`exists (select 1 from ${caseNews} where ${caseNews.userId} = ${viewer.userId}
    and ${caseNews.protocol} = ${m.protocol})`;
}

/** The viewer's cases with news, as an array computed once (InitPlan), then primary-key lookups. */
function newsProtocols(viewer: Viewer): SQL {
  return sql`${m.protocol} = any(array(select ${caseNews.protocol} from ${caseNews}
    where ${caseNews.userId} = ${viewer.userId}))`;
}

/** The SQL of one queue (DESIGN §2 statuses; deadline queues only over open cases). */
export function queueCondition(queue: Queue, viewer: Viewer, w: QueueWindow): SQL {
  const notOverdue = gte(m.dueAt, w.now);
  switch (queue) {
    case 'mine':
      return and(isOpen, eq(m.assignee, viewer.email)) as SQL;
    case 'unassigned':
      return and(isOpen, isNull(m.assignee)) as SQL;
    case 'due_soon':
      return and(isOpen, notOverdue, lt(m.dueAt, w.soonEnd)) as SQL;
    case 'due_today':
      return and(isOpen, notOverdue, lt(m.dueAt, w.todayEnd)) as SQL;
    case 'overdue':
      return and(isOpen, lt(m.dueAt, w.now)) as SQL;
    case 'overdue_unassigned':
      return and(isOpen, lt(m.dueAt, w.now), isNull(m.assignee)) as SQL;
    case 'awaiting_unit':
      return eq(m.status, 'forwarded');
    case 'awaiting_citizen':
      return eq(m.status, 'awaiting_citizen');
    case 'new_activity':
      return newsProtocols(viewer);
  }
}

/**
 * Cases linked to a person record (issue 11) that is VIP (`vip`) and/or of `company`, restricted to the
 * identities whose records this viewer may see linked (never a preserved case for a unit, never anonymous).
 */
function personCondition(viewer: Viewer, vip: 'vip' | null, company: string | null): SQL {
  const ids = viewer.recordIdentities ?? [];
  if (!ids.length) return sql`false`;
  return and(
    inArray(m.identity, [...ids]),
    // a scalar subquery, not EXISTS: the planner may turn an EXISTS in the select list into one hash of every
    // case's person (1M rows, 1.4 s at 1M cases) when it expects many matches before the LIMIT; a scalar
    // subquery is always looked up row by row, for the page's rows only
    sql`coalesce((select true from ${casePeople} join ${people} on ${people.id} = ${casePeople.personId}
      left join ${companies} on ${companies.id} = ${people.companyId}
      where ${casePeople.protocol} = ${m.protocol}
      ${vip ? sql`and (${people.vip} or coalesce(${companies.vip}, false))` : sql``}
      ${company ? sql`and ${people.companyId} = ${company}` : sql``}
      limit 1), false)`,
  ) as SQL;
}

/**
 * The VIP/company filter: the same cases as personCondition, but as lists computed once (InitPlans: the
 * people, then their cases by case_people_person_idx) and then primary-key lookups — a few thousand cases at 1M, where testing every case walked in
 * sort order against its person took ~0.6 s.
 */
function personFilter(viewer: Viewer, vip: 'vip' | null, company: string | null): SQL {
  const ids = viewer.recordIdentities ?? [];
  if (!ids.length) return sql`false`;
  return and(
    inArray(m.identity, [...ids]),
    sql`${m.protocol} = any(array(select ${casePeople.protocol} from ${casePeople}
      where ${casePeople.personId} = any(array(select ${people.id} from ${people}
        left join ${companies} on ${companies.id} = ${people.companyId}
        where true
        ${vip ? sql`and (${people.vip} or coalesce(${companies.vip}, false))` : sql``}
        ${company ? sql`and ${people.companyId} = ${company}` : sql``}))))`,
  ) as SQL;
}

function conditions(f: ManifestationFilter, viewer: Viewer, w: QueueWindow): SQL[] {
  const where: SQL[] = [];
  if (viewer.unitScope) where.push(sql`${m.units} @> array[${viewer.unitScope}]::text[]`);
  if (f.queue) where.push(queueCondition(f.queue, viewer, w));
  if (f.status) where.push(eq(m.status, f.status));
  if (f.kind) where.push(eq(m.kind, f.kind));
  if (f.topic) where.push(eq(m.topic, f.topic));
  if (f.item) where.push(eq(m.item, f.item));
  if (f.assignee === null) where.push(isNull(m.assignee));
  else if (f.assignee) where.push(eq(m.assignee, f.assignee));
  if (f.unit) where.push(sql`${m.units} @> array[${f.unit}]::text[]`);
  if (f.group) where.push(eq(m.groupCode, f.group));
  if (f.priority) where.push(eq(m.priority, f.priority));
  if (f.channel) where.push(eq(m.channel, f.channel));
  if (f.vip || f.company) where.push(personFilter(viewer, f.vip ? 'vip' : null, f.company ?? null));
  if (f.sla) where.push(eq(m.slaState, f.sla));
  if (f.openedFrom) where.push(gte(m.receivedAt, f.openedFrom));
  if (f.openedTo) where.push(lte(m.receivedAt, f.openedTo));
  if (f.dueFrom) where.push(gte(m.dueAt, f.dueFrom));
  if (f.dueTo) where.push(lte(m.dueAt, f.dueTo));
  return where;
}

const ts = (v: string | number) => sql`${String(v)}::timestamptz`;

function keyset(sort: Sort, c: CursorKeys): SQL {
  if (sort === 'due') return sql`(${dueKey}, ${m.protocol}) > (${ts(c[0] ?? '')}, ${String(c[1])})`;
  if (sort === 'priority')
    return sql`(${m.priorityRank}, ${dueKey}, ${m.protocol}) > (${Number(c[0])}, ${ts(c[1] ?? '')}, ${String(c[2])})`;
  return sql`(${m.receivedAt}, ${m.protocol}) < (${ts(c[0] ?? '')}, ${String(c[1])})`;
}

function order(sort: Sort): SQL[] {
  if (sort === 'due') return [asc(dueKey), asc(m.protocol)];
  if (sort === 'priority') return [asc(m.priorityRank), asc(dueKey), asc(m.protocol)];
  return [desc(m.receivedAt), desc(m.protocol)];
}

const dueIso = (d: Date | null) => (d ? d.toISOString() : 'infinity');

function keysOf(
  sort: Sort,
  r: Pick<ManifestationRow, 'dueAt' | 'priorityRank' | 'protocol' | 'receivedAt'>,
): CursorKeys {
  if (sort === 'due') return [dueIso(r.dueAt), r.protocol];
  if (sort === 'priority') return [r.priorityRank, dueIso(r.dueAt), r.protocol];
  return [r.receivedAt.toISOString(), r.protocol];
}

/**
 * The index plan of a search: the planner may not walk an index in sort order (see shouldWalk), and its
 * bitmaps get room to stay exact (at the default 4 MB, the bitmap of a common word and a status went lossy
 * at 1M cases and every row of ~14,000 pages was tested again).
 */
function collected<T>(db: Database, select: (q: Reader) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    // the settings in one round trip, for this transaction only; random_page_cost as for data in memory, or
    // the planner ANDs in the bitmap of a whole partial index its filter implies (a status filter took the
    // 250,000 open cases of manifestations_open_assignee_idx: +30 ms, for nothing)
    await tx.execute(
      sql`select set_config('enable_indexscan', 'off', true), set_config('work_mem', '16MB', true),
        set_config('random_page_cost', '1.1', true)`,
    );
    return select(tx);
  });
}

/** Opaque cursor (base64url JSON of the sort keys) → keys, or null when it is not one of ours. */
export function decodeCursor(sort: Sort, cursor: string): CursorKeys | null {
  try {
    const keys = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    const size = sort === 'priority' ? 3 : 2;
    if (!Array.isArray(keys) || keys.length !== size) return null;
    if (!keys.every((k) => typeof k === 'string' || typeof k === 'number')) return null;
    const dates = sort === 'priority' ? [keys[1]] : [keys[0]];
    if (!dates.every((d) => d === 'infinity' || !Number.isNaN(new Date(String(d)).getTime()))) return null;
    if (sort === 'priority' && !Number.isInteger(keys[0])) return null;
    return keys as CursorKeys;
  } catch {
    return null;
  }
}

const encodeCursor = (keys: CursorKeys) => Buffer.from(JSON.stringify(keys)).toString('base64url');

/**
 * One page of the staff list: `limit` rows (1..1000, default 25) in the chosen sort and the cursor of
 * the next page (null on the last). Each row says whether it has news for the viewer.
 */
export async function listManifestations(
  db: Database,
  f: ManifestationFilter,
  viewer: Viewer,
  w: QueueWindow,
): Promise<{ items: ListRow[]; nextCursor: string | null }> {
  const limit = Math.min(Math.max(f.limit ?? 25, 1), 1000);
  const sort = f.sort ?? 'received';
  const where = conditions(f, viewer, w);
  // the plan choice looks at the filters without the cursor: the same choice for every page of a list
  const filters = [...where];
  if (f.cursor) where.push(keyset(sort, f.cursor));
  const q = f.q?.trim() ?? '';
  const search = q ? await searchCondition(db, q, viewer) : undefined;
  const fields = {
    ...listColumns,
    hasNews: sql<boolean>`${newsFor(viewer)}`,
    vip: sql<boolean>`${personCondition(viewer, 'vip', null)}`,
  };
  // one statement text per shape, prepared (db/queries/statement-cache.ts); its parameters in render order
  const select = (q: Reader, match?: SQL) => {
    const all = match ? [...where, match] : where;
    const condition = all.length ? and(...all) : undefined;
    const build = () =>
      q
        .select(fields)
        .from(m)
        .where(condition)
        .orderBy(...order(sort))
        .limit(limit + 1);
    return runPrepared<ListRow>(
      q,
      `list:${sort}`,
      fields,
      [fields.hasNews, fields.vip, condition, limit + 1],
      build,
    );
  };
  const run = async (s: SearchCondition | undefined) =>
    !s
      ? select(db)
      : (await shouldWalk(db, filters, s, limit))
        ? select(db, s.all)
        : collected(db, (tx) => select(tx, s.collect));
  let rows = await run(search);
  // an exact protocol, e-mail or CPF that finds nothing (on any page: its cases, if any, come before any
  // cursor of its own) is searched as words, like any text
  if (!rows.length && search?.fallback) rows = await run(search.fallback());
  const page = rows.slice(0, limit);
  for (const r of page) {
    r.hasNews = !!r.hasNews;
    r.vip = !!r.vip;
  }
  const last = page[page.length - 1];
  return { items: page, nextCursor: rows.length > limit && last ? encodeCursor(keysOf(sort, last)) : null };
}

/**
 * Counts of every queue for the viewer in one statement. Deadline queues read only open cases (partial
 * index manifestations_open_due_idx); "new activity" only cases the viewer follows (assigned or opened).
 */
export async function countQueues(
  db: Database,
  viewer: Viewer,
  w: QueueWindow,
): Promise<Record<Queue, number>> {
  const names: Queue[] = [
    'mine',
    'unassigned',
    'due_soon',
    'due_today',
    'overdue',
    'overdue_unassigned',
    'awaiting_unit',
    'awaiting_citizen',
  ];
  const scope = viewer.unitScope ? sql`${m.units} @> array[${viewer.unitScope}]::text[]` : sql`true`;
  if (!viewer.unitScope) {
    // the office's view: counters and small index ranges (db/queries/queue-counts.ts explains why)
    return countOfficeQueues(db, viewer, w);
  }
  // a unit's own cases are a small set: counted directly
  const newActivity = () =>
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(m)
      .where(and(scope, queueCondition('new_activity', viewer, w)));
  const counts = Object.fromEntries(
    names.map((n) => [n, sql<number>`count(*) filter (where ${queueCondition(n, viewer, w)})::int`]),
  );
  const [[open], [news]] = await Promise.all([
    db.select(counts).from(m).where(and(isOpen, scope)),
    newActivity(),
  ]);
  const out = { new_activity: Number(news?.n ?? 0) } as Record<Queue, number>;
  for (const n of names) out[n] = Number((open as Record<string, number> | undefined)?.[n] ?? 0);
  return out;
}

/** Records that `userId` has seen the case up to timeline event `seq` (opening the case page). */
export async function markSeen(db: Database, userId: string, protocol: string, seq: number) {
  await db
    .insert(caseReads)
    .values({ userId, protocol, seenSeq: seq, seenAt: new Date() })
    .onConflictDoUpdate({
      target: [caseReads.userId, caseReads.protocol],
      set: { seenSeq: sql`greatest(${caseReads.seenSeq}, excluded.seen_seq)`, seenAt: new Date() },
    });
}

export async function getManifestation(
  db: Database,
  protocol: string,
): Promise<ManifestationRow | undefined> {
  const [row] = await db.select().from(m).where(eq(m.protocol, protocol));
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
  return db.select({ status: m.status, count: sql<number>`count(*)::int` }).from(m).groupBy(m.status);
}

/**
 * Open cases per attendant group, for the groups given (the per-group queues of the workspace); a
 * unit-scoped viewer counts only its unit's cases. Groups with no open case answer 0.
 */
export async function countGroupQueues(
  db: Database,
  viewer: Viewer,
  groupCodes: string[],
): Promise<Record<string, number>> {
  const out: Record<string, number> = Object.fromEntries(groupCodes.map((g) => [g, 0]));
  if (!groupCodes.length) return out;
  const scope = viewer.unitScope ? sql`${m.units} @> array[${viewer.unitScope}]::text[]` : sql`true`;
  const rows = await db
    .select({ group: m.groupCode, n: sql<number>`count(*)::int` })
    .from(m)
    .where(and(isOpen, scope, inArray(m.groupCode, groupCodes)))
    .groupBy(m.groupCode);
  for (const r of rows) if (r.group) out[r.group] = Number(r.n);
  return out;
}
