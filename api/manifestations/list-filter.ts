// From a list query (URL of /painel, GET /api/v1/manifestations, the exports) to what the read model
// needs: validated filters with days turned into instants on the organisation's timezone, the viewer
// (scope, "me", whose reporter may be searched) and the queue window on the business calendar.
import { Temporal } from 'temporal-polyfill';
import { DEFAULT_CALENDAR_ID, loadCalendar } from '../../activities/deadline.ts';
import { type BusinessCalendar, defaultCalendar, isBusinessDay } from '../../activities/sla/calendar.ts';
import {
  decodeCursor,
  type ManifestationFilter,
  type QueueWindow,
  type Viewer,
} from '../../db/queries/manifestations.ts';
import type { StaffUser } from '../auth/session.ts';
import { type StaffRole, staffViewer } from '../disclosure.ts';
import { type FieldErrors, zodFieldErrors } from '../errors.ts';
import { linkableIdentities } from '../people/service.ts';
import type { AppDeps } from '../types.ts';
import { reporterSearchableIdentities } from './list-disclosure.ts';
import { type ListQuery, listQuerySchema } from './schemas.ts';

export type ResolvedList = {
  filter: ManifestationFilter;
  viewer: Viewer;
  window: QueueWindow;
  query: ListQuery;
};
export type ListQueryResult = { ok: true; list: ResolvedList } | { ok: false; fields: FieldErrors };

/** Days of a calendar week counted by "a vencer" unless deps say otherwise. */
export const DEFAULT_DUE_SOON_BUSINESS_DAYS = 3;

export function viewerOf(user: StaffUser): Viewer {
  return {
    userId: user.id,
    email: user.email,
    unitScope: user.role === 'unit' ? (user.unitCode ?? '__none__') : null,
    reporterSearchable: reporterSearchableIdentities(user),
    recordIdentities: staffViewer(user) ? linkableIdentities(user.role as StaffRole) : [],
  };
}

/**
 * now, the end of today and the end of the Nth business day after today, on the default calendar
 * (holidays and overrides included), in its timezone.
 */
export async function queueWindow(deps: AppDeps, now = new Date()): Promise<QueueWindow> {
  const cal = await orgCalendar(deps, now);
  const today = Temporal.Instant.fromEpochMilliseconds(now.getTime())
    .toZonedDateTimeISO(cal.timezone)
    .toPlainDate();
  const startOf = (d: Temporal.PlainDate) => new Date(d.toZonedDateTime(cal.timezone).epochMilliseconds);
  let day = today;
  let left = deps.dueSoonBusinessDays ?? DEFAULT_DUE_SOON_BUSINESS_DAYS;
  for (let guard = 0; left > 0 && guard < 366; guard++) {
    day = day.add({ days: 1 });
    if (isBusinessDay(cal, day.toString())) left -= 1;
  }
  return { now, todayEnd: startOf(today.add({ days: 1 })), soonEnd: startOf(day.add({ days: 1 })) };
}

/** The default calendar, re-read at most once a minute per database (calendar edits are rare). */
const calendars = new WeakMap<object, { at: number; calendar: BusinessCalendar }>();
async function orgCalendar(deps: AppDeps, now: Date): Promise<BusinessCalendar> {
  const hit = calendars.get(deps.db);
  if (hit && now.getTime() - hit.at < 60_000) return hit.calendar;
  const loaded = await loadCalendar(deps.db, DEFAULT_CALENDAR_ID);
  const calendar = loaded?.calendar ?? { ...defaultCalendar(), timezone: deps.timezone };
  calendars.set(deps.db, { at: now.getTime(), calendar });
  return calendar;
}

/** Queues whose cases depend on "now", "today" and "soon". */
const deadlineQueues = new Set(['due_soon', 'due_today', 'overdue', 'overdue_unassigned']);

/**
 * Days already turned into instants (day, timezone, start or end → epoch ms): the polyfill's time-zone
 * arithmetic is most of what validating a list with a date filter costs (~0.1 ms of a 1 ms list).
 */
const dayInstants = new Map<string, number>();

/** A day (start or end of it in `tz`) or an instant → Date. */
function instant(value: string | undefined, tz: string, end: boolean): Date | undefined {
  if (!value) return undefined;
  if (value.length !== 10) return new Date(value);
  const key = `${value} ${tz} ${end}`;
  let at = dayInstants.get(key);
  if (at === undefined) {
    const day = Temporal.PlainDate.from(value);
    at = (end ? day.add({ days: 1 }) : day).toZonedDateTime(tz).epochMilliseconds - (end ? 1 : 0);
    if (dayInstants.size >= 1000) dayInstants.clear();
    dayInstants.set(key, at);
  }
  return new Date(at);
}

/** Validates a raw query (blank = no filter); field errors in pt-BR when something is truly invalid. */
export async function resolveListQuery(
  raw: Record<string, string>,
  user: StaffUser,
  deps: AppDeps,
): Promise<ListQueryResult> {
  const parsed = listQuerySchema.safeParse(raw);
  if (!parsed.success) return { ok: false, fields: zodFieldErrors(parsed.error) };
  const q = parsed.data;
  const tz = deps.timezone;
  const fields: FieldErrors = {};
  const range = (to: string, a?: Date, b?: Date) => {
    if (a && b && a > b) fields[to] = ['A data final é anterior à inicial'];
  };
  const filter: ManifestationFilter = {
    q: q.q,
    queue: q.queue,
    status: q.status,
    kind: q.kind,
    topic: q.topic,
    item: q.item,
    assignee: q.assignee === 'me' ? user.email : q.assignee === 'none' ? null : q.assignee,
    unit: q.unit,
    group: q.group,
    priority: q.priority,
    channel: q.channel,
    sla: q.sla,
    vip: q.vip === '1' ? true : undefined,
    company: q.company,
    openedFrom: instant(q.openedFrom, tz, false),
    openedTo: instant(q.openedTo, tz, true),
    dueFrom: instant(q.dueFrom, tz, false),
    dueTo: instant(q.dueTo, tz, true),
    sort: q.sort ?? 'received',
    limit: q.limit,
  };
  range('openedTo', filter.openedFrom, filter.openedTo);
  range('dueTo', filter.dueFrom, filter.dueTo);
  if (q.cursor) {
    const keys = decodeCursor(filter.sort ?? 'received', q.cursor);
    if (keys) filter.cursor = keys;
    else fields.cursor = ['Cursor inválido: recomece da primeira página'];
  }
  if (Object.keys(fields).length) return { ok: false, fields };
  const now = new Date();
  const window =
    q.queue && deadlineQueues.has(q.queue)
      ? await queueWindow(deps, now)
      : { now, todayEnd: now, soonEnd: now };
  return { ok: true, list: { filter, viewer: viewerOf(user), window, query: q } };
}

/** The URL query of a list view (only the filters that are set; no cursor). */
export function listQueryString(q: Partial<ListQuery>, extra: Record<string, string> = {}): string {
  const out = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) {
    if (k === 'cursor' || k === 'limit' || v === undefined || v === null || v === '') continue;
    if (k === 'sort' && v === 'received') continue;
    out.set(k, String(v));
  }
  for (const [k, v] of Object.entries(extra)) out.set(k, v);
  return out.toString();
}
