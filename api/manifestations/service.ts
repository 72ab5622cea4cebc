// Case use cases shared by the REST API and the htmx pages: file a manifestation, read one case,
// run a staff action. Handlers only decode, call these, and render.

import { ServiceError, WithStartWorkflowOperation, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition, WorkflowNotFoundError } from '@temporalio/common';
import { accessCodeMatches } from '../../config/access-code.ts';
import { archivedView } from '../../db/queries/case-archive.ts';
import { isProtocol } from '../../db/queries/protocols.ts';
import { recentCommittedView } from '../../db/queries/recent-views.ts';
import type { caseWorkflow } from '../../workflows/case.ts';
import * as m from '../../workflows/messages.ts';
import { type CaseInput, type CaseView, caseViewQuery, registeredUpdate } from '../../workflows/messages.ts';
import { type CaseAction, finalStatuses } from '../../workflows/transitions.ts';
import { ApiError, fromTemporal, notFound } from '../errors.ts';
import { actionUpdateId } from '../idempotency.ts';
import { checkDetails } from '../people/details.ts';
import type { AppDeps } from '../types.ts';
import { pendingError, withinBudget } from './budget.ts';
import { routeReclassified } from './classify.ts';
import type { ActionBodies } from './schemas.ts';

/** Whether `code` opens `protocol` (derived again and compared in constant time: config/access-code.ts). */
export async function checkAccessCode(deps: AppDeps, protocol: string, code: string): Promise<boolean> {
  return accessCodeMatches(deps.secret, protocol, code);
}

/**
 * The case view: the one this process's worker committed less than RECENT_VIEW_MS ago
 * (db/queries/recent-views.ts), else the live view from the workflow (Query, within the budget: 503
 * `pending`); for a concluded case that Temporal no longer keeps, its archived last view
 * (db/queries/case-archive.ts); 404 when there is no such case.
 */
export async function getCaseView(deps: AppDeps, protocol: string): Promise<CaseView> {
  if (!isProtocol(protocol)) throw notFound();
  // committed by this process's worker a moment ago: the re-read of every page that heard of the change
  const recent = recentCommittedView(deps.db, protocol);
  if (recent) return recent;
  try {
    return await withinBudget(deps, () => queryView(deps, protocol));
  } catch (err) {
    // a concluded case whose workflow Temporal no longer keeps (retention): its archived last view
    const archived = err instanceof WorkflowNotFoundError ? await archivedView(deps.db, protocol) : undefined;
    if (archived) return archived;
    throw fromTemporal(err) ?? err;
  }
}

/**
 * The case's Query, asked again when Temporal refuses it because the case's query buffer is full
 * (RESOURCE_EXHAUSTED: a workflow task is in flight and other Queries already wait for it; the server
 * keeps very few). That task ends within milliseconds, so a refused read is asked again after 20, 40, 80…
 * ms (≈ 2 s in all, and never past the request's budget: withinBudget), then answers 503 `pending` with
 * Retry-After — never a 500 for a page that several people (or live updates) read at once.
 */
async function queryView(deps: AppDeps, protocol: string): Promise<CaseView> {
  for (let attempt = 0, wait = 20; ; attempt++, wait = Math.min(wait * 2, 500)) {
    try {
      return await deps.temporal.client.workflow.getHandle(protocol).query(caseViewQuery);
    } catch (err) {
      if (!queryBufferFull(err)) throw err;
      if (attempt >= QUERY_BUFFER_RETRIES) throw pendingError();
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}

/** Times a refused Query is asked again (20 ms doubling to 500 ms: ≈ 2 s in all). */
const QUERY_BUFFER_RETRIES = 8;

/** gRPC RESOURCE_EXHAUSTED (8) on a Query: the workflow's buffer of waiting Queries is full. */
const queryBufferFull = (err: unknown) =>
  err instanceof ServiceError && (err.cause as { code?: unknown } | undefined)?.code === 8;

const updates = {
  assign: m.assignUpdate,
  auxiliary: m.auxiliaryUpdate,
  forward: m.forwardUpdate,
  'unit-response': m.unitResponseUpdate,
  'unit-extend': m.unitExtendUpdate,
  'request-info': m.requestInfoUpdate,
  answer: m.answerUpdate,
  extend: m.extendUpdate,
  priority: m.priorityUpdate,
  reclassify: m.reclassifyUpdate,
  note: m.noteUpdate,
  worklog: m.worklogUpdate,
  close: m.closeUpdate,
  archive: m.archiveUpdate,
  reopen: m.reopenUpdate,
  'accept-email': m.acceptEmailUpdate,
  'discard-email': m.discardEmailUpdate,
  improvement: m.improvementUpdate,
  details: m.detailsUpdate,
  reply: m.replyUpdate,
  accept: m.acceptUpdate,
  reject: m.rejectUpdate,
  rate: m.rateUpdate,
} as const satisfies Record<CaseAction, unknown>;

export type ActionOptions = {
  /** The client's Idempotency-Key: becomes the Update ID (scoped by case and `actor`). */
  idempotencyKey?: string | undefined;
};

/**
 * Runs one action as a workflow Update; validator rejections map to 409/422 (api/errors.ts). A case filed a
 * moment ago whose registration task has not run yet (NotReady) is waited for, then the action runs. Waits at
 * most the request's budget (503 `pending` past it; the Update still runs once). With an idempotency key
 * a retry returns the first outcome.
 */
export async function runAction<A extends CaseAction>(
  deps: AppDeps,
  protocol: string,
  action: A,
  body: ActionBodies[A],
  actor: string,
  opts: ActionOptions = {},
): Promise<CaseView> {
  const current = await getCaseView(deps, protocol); // 404 before anything else
  if (action === 'details') await checkDetails(deps, body as ActionBodies['details']);
  // reclassification re-routes the case (issue 10 item 2): the API evaluates the rules, the case keeps the group
  const routed =
    action === 'reclassify'
      ? { group: await routeReclassified(deps, current, body as ActionBodies['reclassify']) }
      : {};
  const handle = deps.temporal.client.workflow.getHandle(protocol);
  const updateId = opts.idempotencyKey ? actionUpdateId(actor, opts.idempotencyKey) : undefined;
  try {
    return await withinBudget(deps, async () => {
      if (action === 'reopen') {
        // gone (past Temporal's retention): reopened from the archived view getCaseView answered
        const status = await handle.describe().then(
          (d) => d.status.name,
          (err) => {
            if (err instanceof WorkflowNotFoundError) return 'GONE';
            throw err;
          },
        );
        if (status !== 'RUNNING') {
          const last = status === 'GONE' ? current : ((await handle.result()) as CaseView);
          return await reopenCompleted(deps, last, body as ActionBodies['reopen'], actor, updateId);
        }
      }
      const update = updates[action] as unknown as UpdateDefinition<CaseView, [unknown]>;
      const execute = () =>
        handle.executeUpdate(update, {
          args: [{ ...(body as object), ...routed, actor }],
          ...(updateId ? { updateId } : {}),
        });
      try {
        return await execute();
      } catch (err) {
        if (!stillRegistering(err)) throw err;
        // The filing answers once the case is durable, before its workflow's registration task ran
        // (filing.ts): a staff action right after it waits for the registration (the `registered` Update
        // completes then) and runs once. A rejected Update leaves no trace, so its ID can be used again.
        await handle.executeUpdate(registeredUpdate);
        return await execute();
      }
    });
  } catch (err) {
    // a concluded case Temporal no longer keeps (its archived view answered above): only a reopen acts on it
    if (err instanceof WorkflowNotFoundError && finalStatuses.includes(current.status))
      throw new ApiError(
        409,
        'transition_not_allowed',
        'Manifestação concluída e arquivada: reabra-a, com justificativa, para registrar algo novo',
      );
    throw fromTemporal(err) ?? err;
  }
}

/** The case's validator refused an Update because its registration has not run yet (NotReady). */
function stillRegistering(err: unknown): boolean {
  return (
    err instanceof WorkflowUpdateFailedError &&
    err.cause instanceof ApplicationFailure &&
    err.cause.type === 'NotReady'
  );
}

/**
 * The outcome of an earlier keyed action by the same caller, if it completed (a retry answers it instead
 * of acting again, whatever the case's state is now); undefined when there was none. 503 `pending` while
 * it is still running past the budget.
 */
export async function earlierOutcome(
  deps: AppDeps,
  protocol: string,
  actor: string,
  idempotencyKey: string | undefined,
): Promise<CaseView | undefined> {
  if (!idempotencyKey) return undefined;
  const handle = deps.temporal.client.workflow.getHandle(protocol);
  try {
    return await withinBudget(deps, () =>
      handle.getUpdateHandle<CaseView>(actionUpdateId(actor, idempotencyKey)).result(),
    );
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined; // no such update (or case): act normally
    throw fromTemporal(err) ?? err;
  }
}

/** A case whose workflow already completed (after the reopen window) reopens as a new run under the
 * same workflow id, carrying `last`, its final view (the completed run's result, or the archived view once
 * Temporal no longer keeps the run). */
async function reopenCompleted(
  deps: AppDeps,
  last: CaseView,
  body: ActionBodies['reopen'],
  actor: string,
  updateId: string | undefined,
) {
  const { protocol } = last;
  const input: CaseInput = {
    protocol,
    kind: last.kind,
    subject: last.subject,
    description: last.description,
    identity: last.identity,
    channel: last.channel,
    citizen: last.citizen,
    receivedAt: last.receivedAt,
    registeredBy: 'citizen',
    carried: { view: last, processedMessageIds: [], firedAlerts: [] },
    reopen: { justification: body.justification, actor },
    born: m.CODE_GENERATION,
  };
  // update-with-start under the caller's Update ID: a retry (the run now RUNNING) gets this outcome back
  const start = new WithStartWorkflowOperation<typeof caseWorkflow>('caseWorkflow', {
    workflowId: protocol,
    taskQueue: deps.temporal.taskQueue,
    args: [input],
    workflowIdConflictPolicy: 'FAIL',
    workflowIdReusePolicy: 'ALLOW_DUPLICATE',
  });
  return deps.temporal.client.workflow.executeUpdateWithStart(registeredUpdate, {
    startWorkflowOperation: start,
    ...(updateId ? { updateId } : {}),
  });
}
