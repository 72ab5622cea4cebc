// The audit list (issue 10 item 9): filters shared by the REST route and the page, the keyset cursor,
// and the presenter that lifts { entity, id, before, after } out of an entry's data.
import type { AuditFilter, AuditRow } from '../../../db/queries/access.ts';
import { ApiError } from '../../errors.ts';
import { localToIso } from '../../ui/local-time.ts';
import type { AuditQuery } from './schemas.ts';

export const presentAudit = (row: AuditRow) => {
  const { entity, id, before, after, ...rest } = row.data as Record<string, unknown>;
  return {
    id: row.id,
    at: row.at.toISOString(),
    actor: row.actor,
    action: row.action,
    ip: row.ip,
    entity: typeof entity === 'string' ? entity : null,
    entityId: typeof id === 'string' || typeof id === 'number' ? String(id) : null,
    before: before ?? null,
    after: after ?? null,
    data: rest,
  };
};
export type AuditEntry = ReturnType<typeof presentAudit>;

export const auditCursor = (row: AuditRow) =>
  Buffer.from(`${row.at.toISOString()}|${row.id}`).toString('base64url');

function parseCursor(cursor: string): { at: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const date = new Date(at ?? '');
  const year = date.getUTCFullYear();
  if (!id || Number.isNaN(date.getTime()) || year < 1900 || year > 2200)
    throw new ApiError(422, 'invalid_query', 'Cursor inválido', { cursor: ['Cursor inválido.'] });
  return { at: date, id };
}

/** Query → filter; dates are whole days in the organisation's timezone (`to` inclusive). */
export function auditFilter(q: AuditQuery, timeZone: string): AuditFilter {
  const day = (d: string, field: string) => {
    const year = Number(d.slice(0, 4));
    const iso = year >= 1900 && year <= 2200 ? localToIso(`${d}T00:00`, timeZone) : null;
    const at = iso ? new Date(iso) : null;
    if (!at || Number.isNaN(at.getTime()))
      throw new ApiError(422, 'invalid_query', 'Data inválida', { [field]: ['Data inválida (1900–2200).'] });
    return at;
  };
  const from = q.from ? day(q.from, 'from') : undefined;
  const to = q.to ? new Date(day(q.to, 'to').getTime() + 86_400_000) : undefined;
  if (from && to && from >= to)
    throw new ApiError(422, 'invalid_query', 'Período inválido', {
      to: ['A data final deve ser igual ou posterior à inicial.'],
    });
  return {
    actor: q.actor || undefined,
    action: q.action || undefined,
    entity: q.entity || undefined,
    from,
    to,
    before: q.cursor ? parseCursor(q.cursor) : undefined,
    limit: q.limit ?? 50,
  };
}
