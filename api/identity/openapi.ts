// OpenAPI for the identity routes (api/identity/routes.ts), merged into /api/v1/openapi.json.
import { bearerSecurity, errorResponses as errors, jsonBody, pathParam } from '../openapi-parts.ts';
import { revealSchema } from './reveal.ts';

export const identityOpenApiPaths = {
  '/api/v1/manifestations/{protocol}/identity-access': {
    post: {
      summary:
        'Reveal the reporter of a case (ouvidoria staff; a stated purpose is required; every call is appended to the identity-access log)',
      security: bearerSecurity,
      parameters: [pathParam('protocol', 'OUV-2026-000123', 'Protocol number (workflow id)')],
      requestBody: jsonBody(revealSchema),
      responses: {
        200: {
          description: '{protocol, identity, citizen:{name,email?,phone?}, access:{id, at, actor, purpose}}',
        },
        ...errors(401, 403, 404, 409, 422, 429),
      },
    },
  },
  '/api/v1/identity-access-log': {
    get: {
      summary: 'The identity-access log, newest first (ombudsman, admin); append-only in the database',
      security: bearerSecurity,
      parameters: [
        { name: 'protocol', in: 'query', required: false, schema: { type: 'string' } },
        {
          name: 'limit',
          in: 'query',
          required: false,
          schema: { type: 'integer', minimum: 1, maximum: 500 },
        },
      ],
      responses: {
        200: { description: '{items:[{id, at, actor, actorRole, protocol, purpose}]}' },
        ...errors(401, 403, 422),
      },
    },
  },
};
