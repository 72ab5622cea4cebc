// Stuck cases (issue 8.2): which cases have a side effect that failed for good, read from Temporal
// visibility (the `Stuck` search attribute) because the database may be the failing part, and the repair
// that re-runs the failed steps once the cause is fixed.

import { type CaseFailureSummary, failuresQuery, repairUpdate } from '../../workflows/failure-messages.ts';
import type { CaseView } from '../../workflows/messages.ts';
import * as sa from '../../workflows/search-attributes.ts';
import { fromTemporal } from '../errors.ts';
import { actionUpdateId } from '../idempotency.ts';
import { withinBudget } from '../manifestations/budget.ts';
import { getCaseView } from '../manifestations/service.ts';
import type { AppDeps } from '../types.ts';

export type StuckCase = {
  protocol: string;
  /** failed steps from the search attribute, e.g. ["projection"] */
  steps: string[];
  status: string | null;
  /** details from the workflow (undefined when it did not answer within the budget) */
  failures?: CaseFailureSummary[];
};

/** Visibility query of the running cases with a failed step. */
export const stuckQuery = 'Stuck IS NOT NULL AND ExecutionStatus = "Running"';

/** The running cases with a failed step (at most `limit`), newest first, with their failure details. */
export async function listStuckCases(deps: AppDeps, limit = 200): Promise<StuckCase[]> {
  const found: StuckCase[] = [];
  await withinBudget(deps, async () => {
    for await (const wf of deps.temporal.client.workflow.list({ query: stuckQuery })) {
      found.push({
        protocol: wf.workflowId,
        steps: (wf.typedSearchAttributes.get(sa.Stuck) ?? '').split('+').filter(Boolean),
        status: wf.typedSearchAttributes.get(sa.CaseStatus) ?? null,
      });
      if (found.length >= limit) break;
    }
  });
  for (const item of found) {
    try {
      item.failures = await withinBudget(deps, () =>
        deps.temporal.client.workflow.getHandle(item.protocol).query(failuresQuery),
      );
    } catch {
      // no answer within the budget (no worker?): list the case from visibility alone
    }
  }
  return found;
}

/**
 * Re-runs the failed steps of a case (the `repair` Update). 404 unknown case; 409 `nothing_to_repair`;
 * 409 `repair_failed` with the error while the cause is still there; 503 `pending` past the budget.
 */
export async function repairCase(
  deps: AppDeps,
  protocol: string,
  actor: string,
  idempotencyKey?: string,
): Promise<CaseView> {
  await getCaseView(deps, protocol);
  const updateId = idempotencyKey ? actionUpdateId(actor, idempotencyKey) : undefined;
  try {
    return await withinBudget(deps, () =>
      deps.temporal.client.workflow
        .getHandle(protocol)
        .executeUpdate(repairUpdate, { args: [{ actor }], ...(updateId ? { updateId } : {}) }),
    );
  } catch (err) {
    throw fromTemporal(err) ?? err;
  }
}
