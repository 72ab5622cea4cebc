// Building blocks for the OpenAPI documents (api/openapi.ts, api/admin/openapi.ts, api/inbound/openapi.ts).
import { z } from 'zod';

export const jsonBody = (schema: z.ZodType) => ({
  content: {
    'application/json': { schema: z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) },
  },
});

/** The error responses of a route; every route may also answer 503 (see `unavailableResponse`). */
export const errorResponses = (...codes: number[]) => ({
  ...Object.fromEntries(
    codes.map((code) => [
      code,
      {
        description: String(code),
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      },
    ]),
  ),
  503: unavailableResponse,
});

/** 503 `unavailable`: the database or Temporal is down (nothing was done); retry after `Retry-After` s. */
export const unavailableResponse = {
  description:
    'unavailable: the database or Temporal is unreachable; retry after Retry-After seconds (same Idempotency-Key)',
  headers: { 'Retry-After': { schema: { type: 'integer' }, description: 'seconds' } },
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
};

export const bearerSecurity = [{ bearer: [] }];

/** The optional `Idempotency-Key` header of every write (api/idempotency.ts). */
export const idempotencyKeyParam = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'A fresh UUID per operation (16–200 visible ASCII characters). A retry with the same key acts once and ' +
    'answers the first result, also after a server restart. Without a key nothing is deduplicated.',
  schema: { type: 'string', minLength: 16, maxLength: 200, pattern: '^[\\x21-\\x7e]+$' },
};

/** 503 `pending`: the workflow did not answer within UPDATE_WAIT_MS; retry with the same key after Retry-After. */
export const pendingResponse = {
  503: {
    description:
      'pending: not finished within the wait budget, or unavailable: the database or Temporal is down; ' +
      'retry with the same Idempotency-Key after Retry-After',
    headers: { 'Retry-After': { schema: { type: 'integer' }, description: 'seconds' } },
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
  },
};

export const pathParam = (name: string, example: string, description: string) => ({
  name,
  in: 'path',
  required: true,
  description,
  schema: { type: 'string', example },
});
