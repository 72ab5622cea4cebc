// Administração → Auditoria (/painel/admin/auditoria): the audit list with filters (who, action, object,
// period) and each change as before → after, field by field. Admins and the ombudsman read it.
import { Hono } from 'hono';
import { ZodError } from 'zod';
import { auditEntities, listAudit } from '../../../db/queries/access.ts';
import { type AuditEntry, auditCursor, auditFilter, presentAudit } from '../../admin/access/audit.ts';
import { auditQuerySchema } from '../../admin/access/schemas.ts';
import { requireRole } from '../../auth/session.ts';
import { toApiError, zodFieldErrors } from '../../errors.ts';
import type { AppEnv } from '../../types.ts';
import { render } from '../render.ts';
import { adminSections } from './sections.ts';

export const accessAuditPages = new Hono<AppEnv>();

const shown = (v: unknown) =>
  v === undefined || v === null ? '—' : typeof v === 'string' ? v : JSON.stringify(v);

/** The fields that changed, as text: objects compare key by key; anything else as one value. */
export function changesOf(entry: Pick<AuditEntry, 'before' | 'after'>) {
  const { before, after } = entry;
  const isObj = (v: unknown): v is Record<string, unknown> =>
    !!v && typeof v === 'object' && !Array.isArray(v);
  if (before === null && after === null) return [];
  if (isObj(before) || isObj(after)) {
    const b = isObj(before) ? before : {};
    const a = isObj(after) ? after : {};
    return [...new Set([...Object.keys(b), ...Object.keys(a)])]
      .filter((k) => JSON.stringify(b[k]) !== JSON.stringify(a[k]))
      .map((field) => ({ field, before: shown(b[field]), after: shown(a[field]) }));
  }
  return [{ field: '', before: shown(before), after: shown(after) }];
}

accessAuditPages.get('/painel/admin/auditoria', async (c) => {
  requireRole(c, ['admin', 'ombudsman']);
  // a plain form sends its blank fields too: blank = no filter
  const raw = Object.fromEntries(Object.entries(c.req.query()).filter(([, v]) => v.trim() !== ''));
  const values = { actor: '', action: '', entity: '', from: '', to: '', ...raw };
  const entities = await auditEntities(c.var.deps.db);
  try {
    const q = auditQuerySchema.parse(raw);
    const { rows, more } = await listAudit(c.var.deps.db, auditFilter(q, c.var.deps.timezone));
    const last = rows[rows.length - 1];
    const next = new URLSearchParams({ ...raw });
    if (more && last) next.set('cursor', auditCursor(last));
    const entries = rows.map(presentAudit).map((e) => ({ ...e, changes: changesOf(e) }));
    return render(c, 'admin/access-audit', {
      title: 'access.audit.title',
      adminSections,
      values,
      entities,
      entries,
      errors: {},
      nextHref: more && last ? `/painel/admin/auditoria?${next.toString()}` : null,
    });
  } catch (err) {
    const e = err instanceof ZodError ? { fields: zodFieldErrors(err) } : toApiError(err);
    if (!e.fields) throw err;
    return render(
      c,
      'admin/access-audit',
      {
        title: 'access.audit.title',
        adminSections,
        values,
        entities,
        entries: [],
        errors: e.fields,
        nextHref: null,
      },
      422,
    );
  }
});
