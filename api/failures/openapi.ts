// OpenAPI paths of the stuck-case routes (api/failures/routes.ts).
import {
  bearerSecurity,
  errorResponses as errors,
  idempotencyKeyParam,
  pathParam,
  pendingResponse,
} from '../openapi-parts.ts';

export const failureOpenApiPaths = {
  '/api/v1/failures': {
    get: {
      summary: 'Running cases with a step that failed for good (Temporal visibility: Stuck IS NOT NULL)',
      security: bearerSecurity,
      responses: {
        200: {
          description:
            '{items:[{protocol, steps, status, failures?:[{step, error, since, lastAt, attempts}]}]}',
        },
        ...errors(401, 403),
        ...pendingResponse,
      },
    },
  },
  '/api/v1/manifestations/{protocol}/repair': {
    post: {
      summary: 'Re-run the failed steps of a case after the cause is fixed',
      security: bearerSecurity,
      parameters: [pathParam('protocol', 'OUV-2026-000123', 'Protocol number'), idempotencyKeyParam],
      responses: {
        200: { description: 'The case view, repaired' },
        ...errors(401, 403, 404),
        409: {
          description: 'nothing_to_repair, or repair_failed (the message says what still fails)',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
        ...pendingResponse,
      },
    },
  },
};
