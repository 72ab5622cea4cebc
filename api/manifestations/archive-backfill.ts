// The archive of concluded cases (db/queries/case-archive.ts) for cases that concluded before it existed:
// their workflows complete and Temporal deletes them after its retention, and nothing would commit them
// again. Run once when the server starts, in the background.
import { WorkflowNotFoundError } from '@temporalio/client';
import { archivable, archiveStatement, unarchivedConcluded } from '../../db/queries/case-archive.ts';
import { caseViewQuery } from '../../workflows/messages.ts';
import type { AppDeps } from '../types.ts';

/**
 * Archives the last view of every concluded case updated in the last `days` days (default 60: older ones are
 * past a default namespace's retention) that has none yet, by a Query of its workflow, `batch` at a time.
 * A case Temporal no longer has is skipped. Returns how many it archived. Errors other than a missing
 * workflow propagate (the caller logs them; the next start tries again).
 */
export async function archiveConcluded(deps: AppDeps, opts: { days?: number; batch?: number } = {}) {
  const days = opts.days ?? 60;
  const limit = opts.batch ?? 200;
  let after = '';
  let archived = 0;
  for (;;) {
    const protocols = await unarchivedConcluded(deps.db, { days, after, limit });
    for (const protocol of protocols) {
      const view = await deps.temporal.client.workflow
        .getHandle(protocol)
        .query(caseViewQuery)
        .catch((err: unknown) => {
          if (err instanceof WorkflowNotFoundError) return null;
          throw err;
        });
      if (view && archivable(view)) {
        await archiveStatement(deps.db, view);
        archived++;
      }
    }
    if (protocols.length < limit) return archived;
    after = protocols.at(-1)!;
  }
}
