// GET /api/v1/openapi.json — documents every REST route (/api/v1 and the /inbound e-mail doors; a test
// fails when a registered route is missing); request bodies come from the same zod schemas.
import { Hono } from 'hono';
import { adminOpenApiPaths } from './admin/openapi.ts';
import { codecOpenApiPaths } from './codec/openapi.ts';
import { failureOpenApiPaths } from './failures/openapi.ts';
import { identityOpenApiPaths } from './identity/openapi.ts';
import { emailOpenApiPaths } from './inbound/openapi.ts';
import { listQueryParameters, workspaceOpenApiPaths } from './manifestations/openapi.ts';
import {
  actionSchemas,
  citizenActionSchemas,
  newManifestationSchema,
  tokenRequestSchema,
} from './manifestations/schemas.ts';
import { withDoorErrors } from './openapi-doors.ts';
import { healthPaths } from './openapi-health.ts';
import {
  bearerSecurity,
  errorResponses as errors,
  idempotencyKeyParam,
  jsonBody as json,
  pathParam,
  pendingResponse,
} from './openapi-parts.ts';
import { meOpenApiPaths, peopleOpenApiPaths } from './people/openapi.ts';
import { reportOpenApiPaths } from './reports/openapi.ts';
import type { AppEnv } from './types.ts';

const staff = bearerSecurity;
const protocolParam = pathParam('protocol', 'OUV-2026-000123', 'Protocol number (workflow id)');

export function openApiDocument() {
  const listParams = listQueryParameters();
  const actionPaths = Object.fromEntries(
    Object.entries(actionSchemas).map(([action, schema]) => [
      `/api/v1/manifestations/{protocol}/actions/${action}`,
      {
        post: {
          summary: `Staff action: ${action}`,
          security: staff,
          parameters: [protocolParam, idempotencyKeyParam],
          requestBody: json(schema),
          responses: {
            200: { description: 'The new case view' },
            ...errors(401, 403, 404, 409, 422),
            ...pendingResponse,
          },
        },
      },
    ]),
  );
  const citizenPaths = Object.fromEntries(
    Object.entries(citizenActionSchemas).map(([action, schema]) => [
      `/api/v1/manifestations/{protocol}/citizen/${action}`,
      {
        post: {
          summary: `Citizen action: ${action} (X-Access-Code)`,
          security: [{ accessCode: [] }],
          parameters: [protocolParam, idempotencyKeyParam],
          requestBody: json(schema),
          responses: {
            200: { description: 'The case as the citizen sees it' },
            ...errors(401, 403, 404, 409, 422, 429),
            ...pendingResponse,
          },
        },
      },
    ]),
  );
  return {
    openapi: '3.1.0',
    info: {
      title: 'Ouvidor API',
      version: '1.0.0',
      description: 'Ombudsman case management (manifestações).',
    },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer' },
        accessCode: { type: 'apiKey', in: 'header', name: 'X-Access-Code' },
        inboundSecret: { type: 'apiKey', in: 'header', name: 'X-Inbound-Secret' },
        sessionCookie: { type: 'apiKey', in: 'cookie', name: 'ouvidor.session_token' },
      },
      schemas: {
        Error: {
          type: 'object',
          properties: {
            error: {
              type: 'object',
              properties: {
                code: { type: 'string' },
                message: { type: 'string' },
                fields: { type: 'object' },
              },
            },
            requestId: { type: 'string' },
          },
        },
      },
    },
    paths: {
      ...healthPaths,
      '/api/v1/openapi.json': {
        get: {
          summary: 'This document',
          responses: { 200: { description: 'OpenAPI 3.1 JSON' } },
        },
      },
      '/api/v1/auth/token': {
        post: {
          summary: 'Exchange staff e-mail + password for a Bearer token',
          requestBody: json(tokenRequestSchema),
          responses: { 200: { description: '{token}' }, ...errors(401, 422, 429) },
        },
      },
      '/api/v1/manifestations': {
        post: {
          summary: 'File a manifestation (public)',
          parameters: [idempotencyKeyParam],
          requestBody: json(newManifestationSchema),
          responses: {
            201: { description: '{protocol, accessCode, status, kind, dueAt}' },
            ...errors(422, 429),
            ...pendingResponse,
          },
        },
        get: {
          summary: 'List manifestations (staff): filters, search, queue= and sort= with keyset cursor',
          security: staff,
          parameters: listParams,
          responses: { 200: { description: '{items, nextCursor}' }, ...errors(401, 403, 422) },
        },
      },
      ...workspaceOpenApiPaths(listParams),
      '/api/v1/manifestations/{protocol}': {
        get: {
          summary: 'One case (staff Bearer, or the citizen with X-Access-Code)',
          security: [{ bearer: [] }, { accessCode: [] }],
          parameters: [protocolParam],
          responses: { 200: { description: 'Case view with timeline' }, ...errors(401, 404) },
        },
      },
      ...actionPaths,
      ...citizenPaths,
      '/api/v1/units': {
        get: {
          summary: 'Units (staff)',
          security: staff,
          responses: { 200: { description: '[{code, name, email}]' }, ...errors(401, 403) },
        },
      },
      '/api/v1/catalogue': {
        get: {
          summary: 'Active topics of each kind with their active items/services (public)',
          description: 'The codes POST /api/v1/manifestations accepts in `topic` and `item` (issue 10).',
          responses: {
            200: { description: '{kinds: [{kind, topics: [{code, labelPt, labelEn, items: [...]}]}]}' },
            ...errors(429),
          },
        },
      },
      ...failureOpenApiPaths,
      ...adminOpenApiPaths,
      ...emailOpenApiPaths,
      ...codecOpenApiPaths,
      ...identityOpenApiPaths,
      ...peopleOpenApiPaths,
      ...reportOpenApiPaths,
      ...meOpenApiPaths,
    },
  };
}

export const openApiRoutes = new Hono<AppEnv>();
openApiRoutes.get('/openapi.json', (c) => c.json(withDoorErrors(openApiDocument())));
