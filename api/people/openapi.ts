// OpenAPI for /api/v1/people, /api/v1/companies (api/people/routes.ts) and /api/v1/me (api/people/me.ts),
// merged into /api/v1/openapi.json.
import { errorResponses as errors, jsonBody, pathParam, bearerSecurity as staff } from '../openapi-parts.ts';
import {
  companyCreateSchema,
  companyPatchSchema,
  correctionSchema,
  mePatchSchema,
  mergeSchema,
  personCreateSchema,
  personPatchSchema,
} from './schemas.ts';

const idParam = pathParam('id', '0b7f3c1e-6c1a-4a8e-9f0e-1d2c3b4a5e6f', 'Record id (UUID)');
const query = (name: string, description: string, schema: Record<string, unknown>) => ({
  name,
  in: 'query',
  required: false,
  description,
  schema,
});
const listParams = [
  query('q', 'Name, e-mail, phone, CPF/CNPJ (masked or not) or company fragment', {
    type: 'string',
    maxLength: 200,
  }),
  query('companyId', 'Only people of this company', { type: 'string', format: 'uuid' }),
];
const person =
  '{id, name, email, phone, cpf (masked), address, language, companyId, company, vip, vipReason, active, mergedInto, createdAt, updatedAt}';
const company =
  '{id, legalName, tradeName, cnpj (masked), email, phone, contacts, vip, vipReason, active, createdAt, updatedAt}';
const citizen = [{ sessionCookie: [] }];

export const peopleOpenApiPaths = {
  '/api/v1/people': {
    get: {
      summary: 'Search people (ouvidoria staff: attendant, ombudsman, admin; units get 403)',
      security: staff,
      parameters: listParams,
      responses: { 200: { description: `{items:[${person}]}` }, ...errors(401, 403, 422) },
    },
    post: {
      summary: 'Create a person record (CPF validated with its check digits; audited)',
      security: staff,
      requestBody: jsonBody(personCreateSchema),
      responses: {
        201: { description: person },
        ...errors(401, 403, 409, 422),
      },
    },
  },
  '/api/v1/people/{id}': {
    get: {
      summary:
        'One person with their company and their cases (only cases whose reporter the caller sees in full: never a preserved or anonymous one)',
      security: staff,
      parameters: [idParam],
      responses: {
        200: {
          description: `${person} + cases:[{protocol, kind, status, subject, channel, receivedAt, dueAt, linkedBy, verified}]`,
        },
        ...errors(401, 403, 404),
      },
    },
    patch: {
      summary: 'Edit a person (any subset of fields; active=false deactivates; audited with before/after)',
      security: staff,
      parameters: [idParam],
      requestBody: jsonBody(personPatchSchema),
      responses: { 200: { description: person }, ...errors(401, 403, 404, 409, 422) },
    },
  },
  '/api/v1/people/{id}/merge': {
    post: {
      summary:
        'Merge the duplicate record `from` into {id}: its cases move to {id}, it stays inactive pointing to {id} (audited)',
      security: staff,
      parameters: [idParam],
      requestBody: jsonBody(mergeSchema),
      responses: {
        200: { description: `{person: ${person}, mergedFrom, movedCases}` },
        ...errors(401, 403, 404, 409, 422),
      },
    },
  },
  '/api/v1/companies': {
    get: {
      summary: 'Search companies by razão social, nome fantasia or CNPJ (ouvidoria staff)',
      security: staff,
      parameters: [listParams[0]],
      responses: { 200: { description: `{items:[${company}]}` }, ...errors(401, 403, 422) },
    },
    post: {
      summary: 'Create a company (CNPJ validated, numeric or alphanumeric; audited)',
      security: staff,
      requestBody: jsonBody(companyCreateSchema),
      responses: { 201: { description: company }, ...errors(401, 403, 409, 422) },
    },
  },
  '/api/v1/companies/{id}': {
    get: {
      summary: 'One company and its people',
      security: staff,
      parameters: [idParam],
      responses: { 200: { description: `${company} + people:[{id, name, vip}]` }, ...errors(401, 403, 404) },
    },
    patch: {
      summary: 'Edit a company (audited with before/after)',
      security: staff,
      parameters: [idParam],
      requestBody: jsonBody(companyPatchSchema),
      responses: { 200: { description: company }, ...errors(401, 403, 404, 409, 422) },
    },
  },
};

/** The citizen-session routes (api/people/me.ts). */
export const meOpenApiPaths = {
  '/api/v1/me': {
    get: {
      summary: "The signed-in citizen's own record and company (session from the e-mailed sign-in link)",
      security: citizen,
      responses: { 200: { description: `{email, person: ${person}, company}` }, ...errors(401, 403) },
    },
    patch: {
      summary: 'Update their own record and their company (audited); not VIP, not the e-mail',
      security: citizen,
      requestBody: jsonBody(mePatchSchema),
      responses: { 200: { description: `{email, person, company}` }, ...errors(401, 403, 409, 422) },
    },
  },
  '/api/v1/me/manifestations': {
    get: {
      summary: 'Minhas manifestações: cases filed with their verified e-mail or linked to their record',
      security: citizen,
      responses: {
        200: { description: '{items:[{protocol, kind, status, subject, receivedAt, dueAt, updatedAt}]}' },
        ...errors(401, 403),
      },
    },
  },
  '/api/v1/me/export': {
    get: {
      summary: 'LGPD art. 18: all their personal data and cases as JSON (the request is logged)',
      security: citizen,
      responses: {
        200: { description: '{exportedAt, subject, person, company, cases:[…]}' },
        ...errors(401, 403),
      },
    },
  },
  '/api/v1/me/correction': {
    post: {
      summary: 'LGPD art. 18 III: ask the ouvidoria to correct their data (logged; staff see it in a list)',
      security: citizen,
      requestBody: jsonBody(correctionSchema),
      responses: { 201: { description: '{id, at, status}' }, ...errors(401, 403, 422) },
    },
  },
};
