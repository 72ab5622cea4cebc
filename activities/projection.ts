// Projects a case snapshot into the read model. Revision-guarded: an older snapshot never overwrites a
// newer one, so retries and out-of-order completions are harmless.
import { eq, inArray, max, type SQLWrapper, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { archivable, archiveStatement } from '../db/queries/case-archive.ts';
import { caseChangedChannel } from '../db/queries/case-events.ts';
import { forgetCommittedView, rememberCommittedView } from '../db/queries/recent-views.ts';
import { executeCached } from '../db/queries/statement-cache.ts';
import { manifestations, timelineEvents, units, users } from '../db/schema.ts';
import type { CaseView } from '../workflows/messages.ts';
import { reportRowStatements } from './report-columns.ts';
import { listColumns } from './search-document.ts';

/** `views`: the database whose recent views this process keeps (db/queries/recent-views.ts), if it does. */
export function createProjectionActivities(db: Database, views?: Database) {
  return {
    /** Projects the view; when this process keeps recent views, the view once projected (none while it is). */
    async projectCase(view: CaseView): Promise<void> {
      if (views) forgetCommittedView(views, view.protocol);
      await projectView(db, view);
      if (views) rememberCommittedView(views, view);
    },
  };
}

/** The `manifestations` row of a view (list columns, search and reporter documents) and its assignee's name. */
async function caseRow(db: Database, view: CaseView) {
  const [assignee] = view.assignee
    ? await db.select({ name: users.name }).from(users).where(eq(users.email, view.assignee))
    : [];
  const unitNames = view.units.length
    ? (await db.select({ name: units.name }).from(units).where(inArray(units.code, view.units))).map(
        (u) => u.name,
      )
    : [];
  const assigneeName = assignee?.name ?? null;
  const row = {
    ...listColumns(view, { assigneeName, unitNames }),
    protocol: view.protocol,
    kind: view.kind,
    status: view.status,
    subject: view.subject,
    description: view.description,
    identity: view.identity,
    channel: view.channel,
    citizen: view.citizen,
    citizenEmail: view.citizen?.email?.toLowerCase() ?? null,
    assignee: view.assignee,
    units: view.units,
    priority: view.priority,
    receivedAt: new Date(view.receivedAt),
    dueAt: view.dueAt ? new Date(view.dueAt) : null,
    slaState: view.slaState,
    revision: view.revision,
    updatedAt: new Date(),
  };
  return { row, assigneeName };
}

/**
 * Writes the read model of one case view: its `manifestations` row (list columns, search and reporter
 * documents: activities/search-document.ts), its new timeline events and its report rows, and notifies live
 * pages, all in ONE statement (data-modifying CTEs: all or nothing, like the transaction of five or six
 * statements it replaced, in one round trip; issue 14). Revision-guarded: an older snapshot never
 * overwrites a newer one.
 */
export async function projectView(db: Database, view: CaseView, opts: ProjectOptions = {}): Promise<void> {
  if (opts.early && view.revision !== 0)
    throw new Error(`early projection of ${view.protocol} at revision ${view.revision}`);
  const { row, assigneeName } = await caseRow(db, view);
  const { protocol: _p, ...updatable } = row;
  const statements: SQLWrapper[] = [
    db
      .insert(manifestations)
      .values(row)
      .onConflictDoUpdate({
        target: manifestations.protocol,
        set: Object.fromEntries(Object.keys(updatable).map((k) => [k, sql.raw(`excluded.${columnName(k)}`)])),
        setWhere: sql`${manifestations.revision} < excluded.revision`,
      }),
  ];
  // The stored timeline is always a prefix of the case's (events get seq n+1 and are written with their
  // case row, in this statement), so only the events past the stored last seq are new: a case with a long
  // history is not re-sent whole on every change (issue 14, B3). Two projections racing (a retry) may both
  // send an event: it conflicts harmlessly.
  const fresh = opts.early ? [] : view.timeline.length > 1 ? await newEvents(db, view) : view.timeline;
  const through = fresh.at(-1)?.seq;
  if (fresh.length > 0)
    statements.push(
      db
        .insert(timelineEvents)
        .values(
          fresh.map((e) => ({
            protocol: view.protocol,
            seq: e.seq,
            at: new Date(e.at),
            type: e.type,
            actor: e.actor,
            visibility: e.visibility,
            data: e.data,
          })),
        )
        .onConflictDoNothing(),
    );
  // report facts (issue 12): same statement, same revision guard (activities/report-columns.ts)
  statements.push(...reportRowStatements(db, view, assigneeName));
  // a concluded case's record outlives its workflow (db/queries/case-archive.ts)
  if (archivable(view)) statements.push(archiveStatement(db, view));
  if (opts.also) statements.push(opts.also);
  await executeCached(db, 'projection', withNotify(statements, view.protocol, view.revision));
  if (through !== undefined) storedThrough(db).remember(view.protocol, through);
}

export type ProjectOptions = {
  /**
   * The filing's early projection (api/manifestations/filing.ts, issue 14): the registered view at revision
   * 0, written before the workflow's first commit so the list (and the reports) show the case when the
   * POST answers. The revision guard makes it insert-only: the workflow's projection (revision ≥ 1)
   * replaces it and is never replaced by it, whichever arrives first. Its timeline event is left to the
   * workflow (an event once stored is never replaced: the workflow's own, with its instant, must be it).
   */
  early?: boolean;
  /** One more statement run in the same one (the filing marks its intake `created`: both or neither). */
  also?: SQLWrapper;
};

/**
 * `with s0 as (…), s1 as (…) select pg_notify(case_changed, 'protocol revision')`: the statements run once
 * each, in one implicit transaction, and live pages hear of it on commit (every server process LISTENs:
 * db/queries/case-events.ts). drizzle puts an embedded statement in parentheses: `s0 as (insert …)`.
 */
function withNotify(statements: SQLWrapper[], protocol: string, revision: number) {
  const ctes = sql.join(
    statements.map((st, i) => sql`${sql.raw(`s${i}`)} as ${st}`),
    sql`, `,
  );
  return sql`with ${ctes} select pg_notify(${caseChangedChannel}, ${`${protocol} ${revision}`})`;
}

/**
 * The last timeline seq this process has stored per case (issue 14: one statement less on every commit
 * of a case it projected before; a reply's or a staff action's). Only ever behind the database, never
 * ahead: another worker process may have stored more (those events are sent again and conflict
 * harmlessly), and a projection of an older view never lowers it. Bounded: the oldest cases are
 * forgotten first and asked of the database again. A database restored to an earlier point needs the
 * processes restarted (they would otherwise skip the events the restore lost).
 */
function storedThrough(db: Database) {
  let seen = storedSeqs.get(db);
  if (!seen) {
    seen = new Map();
    storedSeqs.set(db, seen);
  }
  const map = seen;
  return {
    get: (protocol: string) => map.get(protocol),
    remember(protocol: string, seq: number) {
      const known = map.get(protocol);
      if (known !== undefined && known >= seq) return;
      map.delete(protocol); // re-inserted: the most recently projected case is forgotten last
      map.set(protocol, seq);
      if (map.size > STORED_SEQS_MAX) map.delete(map.keys().next().value as string);
    },
  };
}

/** How many cases' last stored seq a process keeps (≈ 100 bytes each). */
export const STORED_SEQS_MAX = 20_000;
const storedSeqs = new WeakMap<Database, Map<string, number>>();

/** The events of `view` past the last one stored for its case (known to this process, or asked). */
async function newEvents(db: Database, view: CaseView) {
  const known = storedThrough(db).get(view.protocol);
  if (known !== undefined) return view.timeline.filter((e) => e.seq > known);
  const [row] = await db
    .select({ last: max(timelineEvents.seq) })
    .from(timelineEvents)
    .where(eq(timelineEvents.protocol, view.protocol));
  const stored = row?.last ?? 0;
  storedThrough(db).remember(view.protocol, stored);
  return view.timeline.filter((e) => e.seq > stored);
}

function columnName(key: string): string {
  const col = (manifestations as unknown as Record<string, { name: string }>)[key];
  if (!col) throw new Error(`Unknown manifestation column ${key}`);
  return `"${col.name}"`;
}
