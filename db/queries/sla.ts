// Business calendars, their overrides and deadline policies. Every write bumps the edited row's
// `version` (an override edit bumps its calendar's) so a case can tell which version produced its
// deadline. Query builder only: the same code runs on PGlite and postgres.js.
import { and, asc, desc, eq, gt, gte, inArray, notInArray, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { TimeSegment, WeeklyHours } from '../../activities/sla/calendar.ts';
import type { DeadlineScope } from '../../workflows/sla-types.ts';
import type { Database, DatabaseHandle } from '../client.ts';
import { calendarOverrides, calendars, manifestations, slaPolicies } from '../schema.ts';

export type CalendarRow = typeof calendars.$inferSelect;
export type CalendarOverrideRow = typeof calendarOverrides.$inferSelect;
export type SlaPolicyRow = typeof slaPolicies.$inferSelect;
export type NewSlaPolicy = typeof slaPolicies.$inferInsert;

export type CalendarPatch = {
  name?: string | undefined;
  timezone?: string | undefined;
  workingHours?: WeeklyHours | undefined;
  overtimeHours?: WeeklyHours | null | undefined;
  state?: string | null | undefined;
};

export type OverrideInput = {
  kind: 'holiday' | 'workday';
  name: string;
  hours?: TimeSegment[] | null | undefined;
};

export type PolicyPatch = Partial<Omit<NewSlaPolicy, 'id' | 'version' | 'updatedAt'>>;

const bump = (version: AnyPgColumn) => sql<number>`${version} + 1`;

/** Defined keys only: an omitted field keeps its value, an explicit null clears it. */
function defined<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

// ---------- calendars ----------
/**
 * First start: a calendar still marked `timezone_from_env` (the seeded default, never edited by an
 * admin) takes the organisation's timezone (ORG_TIMEZONE) and loses the mark, so later starts and
 * admin edits own it. Returns the ids it changed. Idempotent; safe when server and worker both run it.
 */
export async function adoptOrgTimezone(db: Database, timezone: string): Promise<string[]> {
  try {
    const rows = await db
      .update(calendars)
      .set({
        timezone,
        timezoneFromEnv: false,
        version: sql`${calendars.version} + case when ${calendars.timezone} = ${timezone} then 0 else 1 end`,
        updatedAt: sql`now()`,
      })
      .where(eq(calendars.timezoneFromEnv, true))
      .returning({ id: calendars.id });
    return rows.map((r) => r.id);
  } finally {
    deadlineDataChanged(); // after the write: a read racing it cannot cache the old rows
  }
}

export async function listCalendars(db: Database): Promise<CalendarRow[]> {
  return db.select().from(calendars).orderBy(asc(calendars.id));
}

export async function getCalendar(db: Database, id: string): Promise<CalendarRow | undefined> {
  const [row] = await db.select().from(calendars).where(eq(calendars.id, id));
  return row;
}

/** Overrides of a calendar, by date; `from` ('YYYY-MM-DD') skips older ones. */
export async function listOverrides(
  db: Database,
  calendarId: string,
  from?: string,
): Promise<CalendarOverrideRow[]> {
  const where = from
    ? and(eq(calendarOverrides.calendarId, calendarId), gte(calendarOverrides.date, from))
    : eq(calendarOverrides.calendarId, calendarId);
  return db.select().from(calendarOverrides).where(where).orderBy(asc(calendarOverrides.date));
}

/**
 * A calendar with its overrides from `from` ('YYYY-MM-DD') on, by date, in one round trip (deadline planning
 * reads both for every plan; issue 14). undefined when the calendar does not exist.
 */
export async function getCalendarWithOverrides(
  db: Database,
  id: string,
  from?: string,
): Promise<{ calendar: CalendarRow; overrides: CalendarOverrideRow[] } | undefined> {
  const on = from
    ? and(eq(calendarOverrides.calendarId, calendars.id), gte(calendarOverrides.date, from))
    : eq(calendarOverrides.calendarId, calendars.id);
  const rows = await db
    .select({ calendar: calendars, override: calendarOverrides })
    .from(calendars)
    .leftJoin(calendarOverrides, on)
    .where(eq(calendars.id, id))
    .orderBy(asc(calendarOverrides.date));
  const first = rows[0];
  if (!first) return undefined;
  return {
    calendar: first.calendar,
    overrides: rows.flatMap((r) => (r.override ? [r.override] : [])),
  };
}

/**
 * Creates the calendar (working hours required) or updates the given fields, bumping its version.
 * Returns undefined when the calendar does not exist and `workingHours` was not given.
 */
export async function saveCalendar(
  db: Database,
  id: string,
  patch: CalendarPatch,
): Promise<{ row: CalendarRow; created: boolean } | undefined> {
  try {
    return await db.transaction(async (tx) => {
      const [current] = await tx.select().from(calendars).where(eq(calendars.id, id)).for('update');
      if (!current) {
        if (!patch.workingHours) return undefined;
        const [row] = await tx
          .insert(calendars)
          .values({ id, name: id, ...defined(patch), workingHours: patch.workingHours })
          .returning();
        return row && { row, created: true };
      }
      const [row] = await tx
        .update(calendars)
        .set({ ...defined(patch), version: bump(calendars.version), updatedAt: sql`now()` })
        .where(eq(calendars.id, id))
        .returning();
      return row && { row, created: false };
    });
  } finally {
    deadlineDataChanged(); // after the write: a read racing it cannot cache the old rows
  }
}

async function bumpCalendar(tx: Pick<Database, 'update'>, id: string): Promise<CalendarRow | undefined> {
  const [row] = await tx
    .update(calendars)
    .set({ version: bump(calendars.version), updatedAt: sql`now()` })
    .where(eq(calendars.id, id))
    .returning();
  return row;
}

/** Creates or replaces the override of `date`; undefined when the calendar does not exist. */
export async function putOverride(
  db: Database,
  calendarId: string,
  date: string,
  input: OverrideInput,
): Promise<{ override: CalendarOverrideRow; calendar: CalendarRow } | undefined> {
  try {
    return await db.transaction(async (tx) => {
      const calendar = await bumpCalendar(tx, calendarId);
      if (!calendar) return undefined;
      const values = { kind: input.kind, name: input.name, hours: input.hours ?? null };
      const [override] = await tx
        .insert(calendarOverrides)
        .values({ calendarId, date, ...values })
        .onConflictDoUpdate({
          target: [calendarOverrides.calendarId, calendarOverrides.date],
          set: { ...values, updatedAt: sql`now()` },
        })
        .returning();
      return override && { override, calendar };
    });
  } finally {
    deadlineDataChanged(); // after the write: a read racing it cannot cache the old rows
  }
}

/**
 * Adds several overrides in one edit (one version bump): dates that already have an override are left
 * as they are (an admin's own decision wins) and reported in `kept`. Undefined when the calendar does
 * not exist; `calendar` is the row after the bump (unchanged when nothing was added).
 */
export async function addOverrides(
  db: Database,
  calendarId: string,
  items: Array<OverrideInput & { date: string }>,
): Promise<{ added: CalendarOverrideRow[]; kept: CalendarOverrideRow[]; calendar: CalendarRow } | undefined> {
  try {
    return await db.transaction(async (tx) => {
      const [locked] = await tx.select().from(calendars).where(eq(calendars.id, calendarId)).for('update');
      if (!locked) return undefined;
      const added: CalendarOverrideRow[] = [];
      for (const item of items) {
        const [row] = await tx
          .insert(calendarOverrides)
          .values({
            calendarId,
            date: item.date,
            kind: item.kind,
            name: item.name,
            hours: item.hours ?? null,
          })
          .onConflictDoNothing({ target: [calendarOverrides.calendarId, calendarOverrides.date] })
          .returning();
        if (row) added.push(row);
      }
      const dates = items.map((i) => i.date);
      const kept = dates.length
        ? (
            await tx
              .select()
              .from(calendarOverrides)
              .where(
                and(eq(calendarOverrides.calendarId, calendarId), inArray(calendarOverrides.date, dates)),
              )
          ).filter((o) => !added.some((a) => a.date === o.date))
        : [];
      const calendar = added.length ? await bumpCalendar(tx, calendarId) : locked;
      return calendar && { added, kept, calendar };
    });
  } finally {
    deadlineDataChanged(); // after the write: a read racing it cannot cache the old rows
  }
}

/** Removes the override of `date`; undefined when there was none (nothing changes then). */
export async function deleteOverride(
  db: Database,
  calendarId: string,
  date: string,
): Promise<{ override: CalendarOverrideRow; calendar: CalendarRow } | undefined> {
  try {
    return await db.transaction(async (tx) => {
      const [override] = await tx
        .delete(calendarOverrides)
        .where(and(eq(calendarOverrides.calendarId, calendarId), eq(calendarOverrides.date, date)))
        .returning();
      if (!override) return undefined;
      const calendar = await bumpCalendar(tx, calendarId);
      return calendar && { override, calendar };
    });
  } finally {
    deadlineDataChanged(); // after the write: a read racing it cannot cache the old rows
  }
}

// ---------- policies ----------
export async function listPolicies(
  db: Database,
  filter: { scope?: DeadlineScope | undefined; active?: boolean | undefined } = {},
): Promise<SlaPolicyRow[]> {
  const conditions = [
    filter.scope ? eq(slaPolicies.scope, filter.scope) : undefined,
    filter.active === undefined ? undefined : eq(slaPolicies.active, filter.active),
  ].filter((x) => x !== undefined);
  return db
    .select()
    .from(slaPolicies)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(asc(slaPolicies.scope), asc(slaPolicies.id));
}

export async function activePolicies(db: Database, scope: DeadlineScope): Promise<SlaPolicyRow[]> {
  return db
    .select()
    .from(slaPolicies)
    .where(and(eq(slaPolicies.scope, scope), eq(slaPolicies.active, true)))
    .orderBy(desc(slaPolicies.updatedAt), asc(slaPolicies.id));
}

export async function getPolicy(db: Database, id: string): Promise<SlaPolicyRow | undefined> {
  const [row] = await db.select().from(slaPolicies).where(eq(slaPolicies.id, id));
  return row;
}

/** Inserts a policy; undefined when the id is taken. */
export async function createPolicy(db: Database, values: NewSlaPolicy): Promise<SlaPolicyRow | undefined> {
  try {
    const [row] = await db
      .insert(slaPolicies)
      .values({ ...values, version: 1 })
      .onConflictDoNothing({ target: slaPolicies.id })
      .returning();
    return row;
  } finally {
    deadlineDataChanged(); // after the write: a read racing it cannot cache the old rows
  }
}

/** Updates the given fields and bumps the version; undefined when the policy does not exist. */
export async function updatePolicy(
  db: Database,
  id: string,
  patch: PolicyPatch,
): Promise<SlaPolicyRow | undefined> {
  try {
    const [row] = await db
      .update(slaPolicies)
      .set({ ...defined(patch), version: bump(slaPolicies.version), updatedAt: sql`now()` })
      .where(eq(slaPolicies.id, id))
      .returning();
    return row;
  } finally {
    deadlineDataChanged(); // after the write: a read racing it cannot cache the old rows
  }
}

// ---------- open cases (to re-plan after an edit) ----------
export const finalStatuses = ['closed', 'approved', 'archived'];

/** One page of protocols of cases still open, in protocol order after `after`. */
export async function openProtocols(db: Database, after: string | null, limit: number): Promise<string[]> {
  const open = notInArray(manifestations.status, finalStatuses);
  const rows = await db
    .select({ protocol: manifestations.protocol })
    .from(manifestations)
    .where(after === null ? open : and(open, gt(manifestations.protocol, after)))
    .orderBy(asc(manifestations.protocol))
    .limit(limit);
  return rows.map((r) => r.protocol);
}

// ---------- the filing request's cached reads ----------
/**
 * How long the filing request (api/manifestations/filing.ts, issue 14) reuses the policies and calendars it
 * plans a receipt's due date with (ms). Every write through this file drops them at once in its process (an
 * embedded server is also its worker); another process sees an admin's edit within this time, as with
 * settings (db/queries/settings.ts). The case workflow's own planning (activities/deadline.ts) always reads
 * them fresh: a receipt planned in that window after an edit made elsewhere may show the due date before
 * the edit, the case shows the one its workflow planned (and re-plans on the edit's calendarChanged).
 */
export const DEADLINE_DATA_CACHE_MS = 5_000;

let generation = 0;
type DeadlineData = { generation: number; at: number; reads: Map<string, Promise<unknown>> };
const deadlineData = new WeakMap<Database, DeadlineData>();

/** Drops every cached policy and calendar (called by each write here; tests writing rows directly). */
export function deadlineDataChanged(): void {
  generation += 1;
}

/**
 * The channel on which a process says an admin changed policies, calendars or deadline settings: every
 * server process LISTENs (listenForDeadlineData) and drops its cache at once, instead of after
 * DEADLINE_DATA_CACHE_MS. Since the filing's planned deadline is the case's own (CaseInput.registration,
 * issue 14), a filing in another process must not keep planning with the old rules while the open cases
 * are told to re-plan (api/admin/notify.ts announces before it signals them).
 */
export const deadlineDataChannel = 'deadline_data_changed';

/** Tells every process (NOTIFY deadlineDataChannel) and this one that the deadline data changed. */
export async function announceDeadlineDataChanged(db: Database): Promise<void> {
  deadlineDataChanged();
  await db.execute(sql`select pg_notify(${deadlineDataChannel}, '')`);
}

/** Drops this process's cached deadline data whenever any process announces a change; resolves to stop(). */
export function listenForDeadlineData(handle: Pick<DatabaseHandle, 'listen'>): Promise<() => Promise<void>> {
  return handle.listen(deadlineDataChannel, () => deadlineDataChanged());
}

function cachedRead<T>(db: Database, key: string, read: () => Promise<T>): Promise<T> {
  let c = deadlineData.get(db);
  if (!c || c.generation !== generation || Date.now() - c.at >= DEADLINE_DATA_CACHE_MS) {
    c = { generation, at: Date.now(), reads: new Map() };
    deadlineData.set(db, c);
  }
  const hit = c.reads.get(key) as Promise<T> | undefined;
  if (hit) return hit;
  const reads = c.reads;
  const fresh = read();
  reads.set(key, fresh);
  fresh.catch(() => reads.get(key) === fresh && reads.delete(key));
  return fresh;
}

/** activePolicies through the filing request's cache (shared rows: read them, never change them). */
export const cachedActivePolicies = (db: Database, scope: DeadlineScope): Promise<SlaPolicyRow[]> =>
  cachedRead(db, `policies:${scope}`, () => activePolicies(db, scope));

/** getCalendarWithOverrides through the filing request's cache (shared rows: read them, never change them). */
export const cachedCalendarWithOverrides = (db: Database, id: string, from?: string) =>
  cachedRead(db, `calendar:${id}:${from ?? ''}`, () => getCalendarWithOverrides(db, id, from));
