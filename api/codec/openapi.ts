// OpenAPI paths of the Temporal remote codec endpoint (api/codec/routes.ts); spread into api/openapi.ts.
import { bearerSecurity as bearer, errorResponses as errors } from '../openapi-parts.ts';

const payloads = {
  type: 'object',
  properties: {
    payloads: {
      type: 'array',
      description: 'omitted = no payloads (proto3 JSON)',
      items: {
        type: 'object',
        properties: {
          metadata: {
            type: 'object',
            additionalProperties: { type: 'string', contentEncoding: 'base64' },
            description: 'Temporal Payload metadata, values base64 (proto3 JSON)',
          },
          data: { type: 'string', contentEncoding: 'base64' },
        },
      },
    },
  },
};

const operation = (op: 'decode' | 'encode', namespaceInPath: boolean) => ({
  summary:
    op === 'decode'
      ? 'Temporal remote codec: decrypt payloads (Temporal Web UI, `temporal --codec-endpoint`; admin only; audited)'
      : 'Temporal remote codec: encrypt payloads with the current PAYLOAD_KEY (admin only; audited)',
  description:
    'Temporal’s remote codec protocol. The Web UI calls it from its own origin with the Ouvidor session ' +
    'cookie (CORS with credentials for TEMPORAL_UI_ORIGINS); the CLI with `--codec-auth "Bearer <token>"`. ' +
    'Payloads that are not encrypted pass through decode unchanged.',
  security: [...bearer, { sessionCookie: [] }],
  parameters: [
    ...(namespaceInPath
      ? [{ name: 'namespace', in: 'path', required: true, schema: { type: 'string', example: 'default' } }]
      : []),
    {
      name: 'X-Namespace',
      in: 'header',
      required: false,
      description: 'Temporal namespace of the payloads; only Ouvidor’s own (TEMPORAL_NAMESPACE) is known',
      schema: { type: 'string' },
    },
  ],
  requestBody: { required: true, content: { 'application/json': { schema: payloads } } },
  responses: {
    200: { description: 'the payloads, same order', content: { 'application/json': { schema: payloads } } },
    ...errors(400, 401, 403, 404, 415, 422),
  },
});

export const codecOpenApiPaths = {
  '/codec/decode': { post: operation('decode', false) },
  '/codec/encode': { post: operation('encode', false) },
  '/codec/{namespace}/decode': { post: operation('decode', true) },
  '/codec/{namespace}/encode': { post: operation('encode', true) },
};
