// Bulk actions on the staff list: each selected case gets its own Update (assume, assign, set priority),
// authorised and validated like the single action; one failure never stops or hides the others.
import { z } from 'zod';
import { priorities } from '../../workflows/vocabulary.ts';
import type { StaffUser } from '../auth/session.ts';
import { toApiError } from '../errors.ts';
import type { AppDeps } from '../types.ts';
import { authorizeAction } from './authorize.ts';
import { getCaseView, runAction } from './service.ts';

export type BulkResult = { protocol: string; ok: boolean; message: string };

const bulkAction = z.union([
  z.literal('assume').transform(() => ({ kind: 'assume' as const })),
  z
    .string()
    .regex(/^assign:.+$/)
    .transform((s) => ({ kind: 'assign' as const, assignee: s.slice('assign:'.length) }))
    .pipe(z.object({ kind: z.literal('assign'), assignee: z.email() })),
  z
    .string()
    .regex(/^priority:/)
    .transform((s) => ({ kind: 'priority' as const, priority: s.slice('priority:'.length) }))
    .pipe(z.object({ kind: z.literal('priority'), priority: z.enum(priorities) })),
]);

/** At most this many cases per bulk request (each is a workflow Update). */
export const BULK_LIMIT = 100;

/** Runs `action` (`assume`, `assign:<email>`, `priority:<code>`) on each protocol, in order. */
export async function runBulk(
  deps: AppDeps,
  user: StaffUser,
  protocols: string[],
  action: string,
): Promise<BulkResult[]> {
  const parsed = bulkAction.safeParse(action);
  if (!parsed.success) return [{ protocol: '—', ok: false, message: 'Ação em lote desconhecida' }];
  if (protocols.length > BULK_LIMIT)
    return [{ protocol: '—', ok: false, message: `No máximo ${BULK_LIMIT} manifestações por vez` }];
  const a = parsed.data;
  const results: BulkResult[] = [];
  for (const protocol of [...new Set(protocols)]) {
    try {
      const key = a.kind === 'priority' ? 'priority' : 'assign';
      const body =
        a.kind === 'priority'
          ? { priority: a.priority }
          : { assignee: a.kind === 'assume' ? user.email : a.assignee };
      authorizeAction(user, key, body as { unit?: string }, await getCaseView(deps, protocol));
      await runAction(deps, protocol, key, body as never, user.email);
      results.push({ protocol, ok: true, message: '' });
    } catch (err) {
      const e = toApiError(err);
      if (e.status >= 500) throw err;
      results.push({ protocol, ok: false, message: e.message });
    }
  }
  return results;
}
