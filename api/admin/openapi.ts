// OpenAPI paths of /api/v1/admin (calendars, overrides, deadline policies); spread into the document
// of api/openapi.ts: `paths: { ..., ...adminOpenApiPaths }`. Bodies come from the same zod schemas.

import {
  bearerSecurity as bearer,
  errorResponses as errors,
  jsonBody as json,
  pathParam,
} from '../openapi-parts.ts';
import { accessOpenApiPaths } from './access/openapi.ts';
import { catalogueOpenApiPaths } from './catalogue-openapi.ts';
import { paramsOpenApiPaths } from './params-openapi.ts';
import { pontosFacultativosBodySchema } from './pontos-facultativos.ts';
import {
  calendarBodySchema,
  newPolicySchema,
  overrideBodySchema,
  policyPatchSchema,
  previewSchema,
} from './schemas.ts';

const calendarId = pathParam('id', 'default', 'Calendar id');
const date = pathParam('date', '2026-01-25', 'Local date (AAAA-MM-DD)');
const policyId = pathParam('id', 'law-case', 'Policy id');
const edited =
  ' Bumps the version and signals calendarChanged to every open case; the answer adds `signalled` (cases told).';

export const adminOpenApiPaths = {
  ...accessOpenApiPaths, // users, invitations, audit (api/admin/access/openapi.ts)
  '/api/v1/admin/calendars': {
    get: {
      summary: 'Business calendars (admin, ombudsman)',
      security: bearer,
      responses: { 200: { description: '{items: [calendar]}' }, ...errors(401, 403) },
    },
  },
  '/api/v1/admin/calendars/{id}': {
    get: {
      summary: 'One calendar with its overrides (admin, ombudsman)',
      security: bearer,
      parameters: [calendarId],
      responses: { 200: { description: 'calendar + overrides' }, ...errors(401, 403, 404) },
    },
    put: {
      summary: 'Create a calendar, or change timezone, working hours, overtime hours or state (admin)',
      description: `Omitted fields keep their value; working hours are required to create.${edited}`,
      security: bearer,
      parameters: [calendarId],
      requestBody: json(calendarBodySchema),
      responses: {
        200: { description: 'calendar + overrides + signalled' },
        201: { description: 'created' },
        ...errors(401, 403, 422),
      },
    },
  },
  '/api/v1/admin/calendars/{id}/overrides/{date}': {
    put: {
      summary: 'Holiday/closure (`holiday`) or extra/reduced workday (`workday`) on a date (admin)',
      description: `Creates or replaces the override of that date.${edited}`,
      security: bearer,
      parameters: [calendarId, date],
      requestBody: json(overrideBodySchema),
      responses: {
        200: { description: 'override + calendarVersion + signalled' },
        ...errors(401, 403, 404, 422),
      },
    },
    delete: {
      summary: 'Remove the override of a date (admin)',
      description: edited.trim(),
      security: bearer,
      parameters: [calendarId, date],
      responses: {
        200: { description: 'removed override + calendarVersion + signalled' },
        ...errors(401, 403, 404, 422),
      },
    },
  },
  '/api/v1/admin/calendars/{id}/pontos-facultativos': {
    get: {
      summary: 'The federal pontos facultativos of a year that would change this calendar (admin, ombudsman)',
      description:
        'Carnaval Monday and Tuesday, Ash Wednesday until 14:00 (open from 14:00), Corpus Christi, 28/10 (Dia do Servidor Público), 24/12 and 31/12 (closed all day: an early close moves a deadline like a closed day, Lei 9.784/1999 art. 66 §1). Days already closed are not offered; `override` shows what the calendar has on that date.',
      security: bearer,
      parameters: [
        calendarId,
        {
          name: 'year',
          in: 'query',
          required: false,
          schema: { type: 'integer', minimum: 2000, maximum: 2100 },
        },
      ],
      responses: { 200: { description: '{calendarId, year, items}' }, ...errors(401, 403, 404, 422) },
    },
    post: {
      summary: 'Apply the pontos facultativos of a year to a calendar as closures, in one action (admin)',
      description: `Adds the overrides that do not exist yet (an override already on a date is kept and reported in \`kept\`); \`dates\` limits it to some of them.${edited}`,
      security: bearer,
      parameters: [calendarId],
      requestBody: json(pontosFacultativosBodySchema),
      responses: {
        200: { description: '{calendarId, year, calendarVersion, added, kept, signalled}' },
        ...errors(401, 403, 404, 422),
      },
    },
  },
  '/api/v1/admin/sla-policies': {
    get: {
      summary: 'Deadline policies (admin, ombudsman)',
      security: bearer,
      parameters: [
        { name: 'scope', in: 'query', required: false, schema: { type: 'string' } },
        { name: 'active', in: 'query', required: false, schema: { type: 'string', enum: ['true', 'false'] } },
      ],
      responses: { 200: { description: '{items: [policy]}' }, ...errors(401, 403, 422) },
    },
    post: {
      summary: 'Create a deadline policy (admin)',
      description:
        'For a scope, the active policy matching most of (kind, item, priority) wins; a non-null criterion that differs excludes it; ties go to the most recently updated. ' +
        '`extensionFrom` (default `deadline`): each extension is counted from the deadline it extends (10/09 15:00 → 13/10, extended by 30 → 12/11); `start`: the extension amounts are added and counted from the start (→ 09/11). ' +
        '`allowLateExtension` (default false): whether extend/unit-extend is accepted after the deadline has passed (otherwise 409). ' +
        '`complementation`: `interrupt_once` or `suspend` (README, Prazos).' +
        edited,
      security: bearer,
      requestBody: json(newPolicySchema),
      responses: { 201: { description: 'policy + signalled' }, ...errors(401, 403, 409, 422) },
    },
  },
  '/api/v1/admin/sla-policies/{id}': {
    get: {
      summary: 'One deadline policy (admin, ombudsman)',
      security: bearer,
      parameters: [policyId],
      responses: { 200: { description: 'policy' }, ...errors(401, 403, 404) },
    },
    put: {
      summary: 'Change a deadline policy (admin)',
      description: `Omitted fields keep their value.${edited}`,
      security: bearer,
      parameters: [policyId],
      requestBody: json(policyPatchSchema),
      responses: { 200: { description: 'policy + signalled' }, ...errors(401, 403, 404, 422) },
    },
    delete: {
      summary: 'Deactivate a deadline policy (admin)',
      description: edited.trim(),
      security: bearer,
      parameters: [policyId],
      responses: { 200: { description: 'policy (active: false) + signalled' }, ...errors(401, 403, 404) },
    },
  },
  '/api/v1/admin/deadline-preview': {
    post: {
      summary: 'The deadline the current policies and calendars give a case like this (admin, ombudsman)',
      security: bearer,
      requestBody: json(previewSchema),
      responses: {
        200: { description: 'Deadline (dueAt, warnings, escalateAt, policy, explanation)' },
        ...errors(401, 403, 422),
      },
    },
  },
  ...paramsOpenApiPaths, // Regras gerais, e-mail templates
  ...catalogueOpenApiPaths, // groups, units, cost centres, topics, items, lists (issue 10)
};
