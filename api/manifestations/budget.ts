// Bounded waits on workflows (issue 15.2): an HTTP request never waits on a workflow (Query, Update,
// update-with-start) longer than `deps.updateWaitMs` (UPDATE_WAIT_MS, default 10 000 ms) counted from
// the start of the request. Past it the request answers 503 `pending` with `Retry-After`; whatever was
// sent to the workflow still runs exactly once, and a retry with the same Idempotency-Key gets its result.
import { AsyncLocalStorage } from 'node:async_hooks';
import {
  isGrpcCancelledError,
  isGrpcDeadlineError,
  ServiceError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import type { MiddlewareHandler } from 'hono';
import { ApiError } from '../errors.ts';
import type { AppDeps, AppEnv } from '../types.ts';

export const DEFAULT_UPDATE_WAIT_MS = 10_000;

/** Seconds a client should wait before retrying a `pending` request. */
export const PENDING_RETRY_AFTER_S = 2;

const requestDeadline = new AsyncLocalStorage<number>();

/** Starts the clock of each request: every workflow call inside it shares one deadline. */
export const workflowBudget: MiddlewareHandler<AppEnv> = (c, next) =>
  requestDeadline.run(Date.now() + (c.var.deps.updateWaitMs ?? DEFAULT_UPDATE_WAIT_MS), next);

/** 503 `pending`: the workflow did not answer within the budget; the action was not lost. */
export function pendingError(): ApiError {
  return new ApiError(
    503,
    'pending',
    'A operação ainda está em processamento. Tente de novo em instantes com a mesma Idempotency-Key: ela não será repetida.',
    undefined,
    { 'Retry-After': String(PENDING_RETRY_AFTER_S) },
  );
}

/** Our deadline ended the call: gRPC reports DEADLINE_EXCEEDED, or CANCELLED when it fires mid-call. */
function timedOut(err: unknown, deadline: number): boolean {
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return true;
  const cause = err instanceof ServiceError ? err.cause : err;
  if (isGrpcDeadlineError(cause)) return true;
  return isGrpcCancelledError(cause) && Date.now() >= deadline - 50;
}

/**
 * Runs `fn` (Temporal client calls) with the request's deadline (or `updateWaitMs` from now outside a
 * request); a deadline hit becomes `pendingError()`. Other errors pass through unchanged.
 */
export async function withinBudget<R>(deps: AppDeps, fn: () => Promise<R>): Promise<R> {
  const deadline = requestDeadline.getStore() ?? Date.now() + (deps.updateWaitMs ?? DEFAULT_UPDATE_WAIT_MS);
  if (deadline <= Date.now()) throw pendingError();
  try {
    return await deps.temporal.client.withDeadline(deadline, fn);
  } catch (err) {
    if (timedOut(err, deadline)) throw pendingError();
    throw err;
  }
}
