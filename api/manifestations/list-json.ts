// The JSON of the staff list (GET /api/v1/manifestations, GET /api/v1/queues): one row shape for every
// surface that lists cases. Rows carry no reporter data (the list never shows who reported).
import type { ListRow } from '../../db/queries/manifestations.ts';
import type { StaffUser } from '../auth/session.ts';
import { ApiError } from '../errors.ts';
import type { AppDeps } from '../types.ts';
import { type ResolvedList, resolveListQuery } from './list-filter.ts';

/** Resolved list query, or a 422 with the field errors. */
export async function listOrThrow(
  raw: Record<string, string>,
  user: StaffUser,
  deps: AppDeps,
): Promise<ResolvedList> {
  const r = await resolveListQuery(raw, user, deps);
  if (!r.ok) throw new ApiError(422, 'invalid_body', 'Filtros inválidos', r.fields);
  return r.list;
}

export function listItemJson(m: ListRow) {
  return {
    protocol: m.protocol,
    kind: m.kind,
    status: m.status,
    subject: m.subject,
    identity: m.identity,
    channel: m.channel,
    topic: m.topic,
    item: m.item,
    group: m.groupCode,
    assignee: m.assignee,
    assigneeName: m.assigneeName,
    units: m.units,
    pendingUnits: m.pendingUnits,
    priority: m.priority,
    receivedAt: m.receivedAt.toISOString(),
    dueAt: m.dueAt?.toISOString() ?? null,
    slaState: m.slaState,
    hasNews: m.hasNews,
    /** the reporter's record is VIP (only where the caller sees the reporter in full) */
    vip: m.vip ?? false,
  };
}
