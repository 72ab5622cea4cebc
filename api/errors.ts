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

/** Seconds a client should wait before retrying after a 503 for an outage. */
export const OUTAGE_RETRY_AFTER_S = 5;

/** 503 `unavailable`: a part we depend on (database, Temporal) is down; nothing was done, retry later. */
export const unavailable = (part: OutagePart) =>
  new ApiError(
    503,
    'unavailable',
    part === 'database'
      ? 'Serviço temporariamente indisponível (banco de dados). Tente de novo em instantes.'
      : 'Serviço temporariamente indisponível (fila de processamento). Tente de novo em instantes.',
    undefined,
    { 'Retry-After': String(OUTAGE_RETRY_AFTER_S) },
  );

export type OutagePart = 'database' | 'temporal';

/** Socket-level codes (Node, postgres.js) that mean "could not reach the other side". */
const connectionCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  // postgres.js
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
]);
/** gRPC status codes: 14 UNAVAILABLE, 4 DEADLINE_EXCEEDED. */
const grpcOutageCodes = new Set([14, 4]);

/**
 * Tells whether `err` (or one of its causes) says a dependency is unreachable, and which:
 * postgres.js connection errors (on PostgreSQL and the embedded database alike), SQLSTATE class 08
 * (connection exception), 57P01–57P03 (shutdown, cannot connect now), 53300 (too many connections), socket codes (ECONNREFUSED, ETIMEDOUT…), Temporal gRPC
 * UNAVAILABLE/DEADLINE_EXCEEDED and the client's "failed to connect" timeouts. `undefined` = not an outage.
 */
export function outagePart(err: unknown): OutagePart | undefined {
  const seen = new Set<unknown>();
  const queue: unknown[] = [err];
  let socketLevel = false;
  while (queue.length > 0 && seen.size < 12) {
    const e = queue.shift();
    if (!e || typeof e !== 'object' || seen.has(e)) continue;
    seen.add(e);
    const o = e as { code?: unknown; name?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
    const name = typeof o.name === 'string' ? o.name : '';
    const message = typeof o.message === 'string' ? o.message : '';
    if (typeof o.code === 'number' && grpcOutageCodes.has(o.code) && 'details' in o) return 'temporal';
    if (name === 'ServiceError' && /connect|unavailable|deadline/i.test(message)) return 'temporal';
    if (typeof o.code === 'string') {
      if (/^08[0-9A-Z]{3}$/.test(o.code) || /^57P0[1-3]$/.test(o.code) || o.code === '53300')
        return 'database';
      if (connectionCodes.has(o.code)) socketLevel = true;
    }
    queue.push(o.cause);
    if (Array.isArray(o.errors)) queue.push(...o.errors);
  }
  // A bare socket error comes from the database: the Temporal client reports its own as gRPC statuses.
  return socketLevel ? 'database' : undefined;
}

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
  const fromWorkflow = fromTemporal(err);
  if (fromWorkflow) return fromWorkflow;
  const part = outagePart(err);
  if (part) return unavailable(part);
  return new ApiError(500, 'internal', 'Erro interno');
}

export function errorBody(c: Context, e: ApiError) {
  return {
    error: { code: e.code, message: e.message, ...(e.fields ? { fields: e.fields } : {}) },
    requestId: c.get('requestId') as string | undefined,
  };
}
