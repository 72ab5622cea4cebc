// One error type and one JSON shape: {error:{code,message,fields?}, requestId}. Central onError maps
// zod, domain, Temporal and unknown errors to it.
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ZodError } from 'zod';

export type FieldErrors = Record<string, string[]>;

export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly fields?: FieldErrors,
    /** Extra response headers, e.g. `Retry-After` on a 503. */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

export const notFound = (what = 'Manifestação não encontrada') => new ApiError(404, 'not_found', what);
export const unauthorized = () => new ApiError(401, 'unauthorized', 'Autenticação necessária');
export const forbidden = () => new ApiError(403, 'forbidden', 'Acesso negado');

export function zodFieldErrors(err: ZodError): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of err.issues) {
    const key = issue.path.join('.') || '_';
    fields[key] = [...(fields[key] ?? []), issue.message];
  }
  return fields;
}

/** Maps a failed workflow Update (validator rejection) to 409 (wrong state) or 422 (bad payload). */
export function fromTemporal(err: unknown): ApiError | undefined {
  if (err instanceof WorkflowNotFoundError) return notFound();
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    const cause = err.cause;
    if (cause.type === 'TransitionNotAllowed')
      return new ApiError(409, 'transition_not_allowed', cause.message);
    if (cause.type === 'NotReady') return new ApiError(409, 'not_ready', cause.message);
    if (cause.type === 'AlreadyPending') return new ApiError(409, 'already_pending', cause.message);
    if (cause.type === 'NothingToRepair') return new ApiError(409, 'nothing_to_repair', cause.message);
    if (cause.type === 'RepairFailed') return new ApiError(409, 'repair_failed', cause.message);
    if (cause.type === 'InvalidPayload') {
      const field = (cause.details?.[0] as { field?: string } | undefined)?.field ?? '_';
      return new ApiError(422, 'invalid_body', cause.message, { [field]: [cause.message] });
    }
  }
  return undefined;
}

export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof ZodError)
    return new ApiError(422, 'invalid_body', 'Dados inválidos', zodFieldErrors(err));
  if (err instanceof HTTPException)
    return new ApiError(err.status as ContentfulStatusCode, 'http_error', err.message);
  return fromTemporal(err) ?? new ApiError(500, 'internal', 'Erro interno');
}

export function errorBody(c: Context, e: ApiError) {
  return {
    error: { code: e.code, message: e.message, ...(e.fields ? { fields: e.fields } : {}) },
    requestId: c.get('requestId') as string | undefined,
  };
}
