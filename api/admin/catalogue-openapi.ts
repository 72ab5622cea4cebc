// OpenAPI paths of the administered catalogue (catalogue-routes.ts), spread into adminOpenApiPaths.
// Bodies come from the zod schemas of catalogue-defs.ts.
import {
  bearerSecurity as bearer,
  errorResponses as errors,
  jsonBody as json,
  pathParam,
} from '../openapi-parts.ts';
import { entityDefs, groupDef, memberSchema, routingRuleSchema } from './catalogue-defs.ts';

const code = pathParam('code', 'obras-vias', 'Code of the entry (stable; the key cases and rules keep)');
const groupCode = pathParam('code', 'transporte', 'Group code');
const write = (what: string) => `${what} (admin). Audited with the entry before and after.`;

const entityPaths = Object.fromEntries(
  entityDefs.flatMap((def) => {
    const base = `/api/v1/admin/${def.path}`;
    const one = {
      ...(def === groupDef
        ? {}
        : {
            get: {
              summary: `One ${def.entity} (admin, ombudsman)`,
              security: bearer,
              parameters: [code],
              responses: { 200: { description: def.entity }, ...errors(401, 403, 404) },
            },
          }),
      patch: {
        summary: write(`Change a ${def.entity}; only the fields given; \`active: false\` deactivates`),
        security: bearer,
        parameters: [code],
        requestBody: json(def.patch),
        responses: {
          200: { description: `the ${def.entity} after the change` },
          ...errors(400, 401, 403, 404, 415, 422),
        },
      },
    };
    const list = {
      get: {
        summary: `Every ${def.entity}, active or not (admin, ombudsman)`,
        security: bearer,
        responses: { 200: { description: `{items: [${def.entity}]}` }, ...errors(401, 403) },
      },
      ...(def.create
        ? {
            post: {
              summary: write(`Create a ${def.entity}`),
              security: bearer,
              requestBody: json(def.create),
              responses: {
                201: { description: `the new ${def.entity}` },
                ...errors(400, 401, 403, 415, 422),
              },
            },
          }
        : {}),
    };
    return [
      [base, list],
      [`${base}/{code}`, one],
    ];
  }),
);

export const catalogueOpenApiPaths = {
  ...entityPaths,
  '/api/v1/admin/groups/{code}': {
    ...entityPaths['/api/v1/admin/groups/{code}'],
    get: {
      summary: 'One attendant group with its members and routing rules (admin, ombudsman)',
      security: bearer,
      parameters: [groupCode],
      responses: { 200: { description: 'group + members + rules' }, ...errors(401, 403, 404) },
    },
  },
  '/api/v1/admin/routing/pending': {
    get: {
      summary: 'Open cases whose group differs from what the current routing rules choose (admin, ombudsman)',
      description: 'Routing runs on registration and reclassification; a rule edit moves no case by itself.',
      security: bearer,
      responses: {
        200: { description: '{count, items: [{protocol, from, to}] (first 100)}' },
        ...errors(401, 403),
      },
    },
  },
  '/api/v1/admin/routing/reroute': {
    post: {
      summary: write('Re-route those open cases (a reclassification of each, same kind)'),
      security: bearer,
      responses: { 200: { description: '{rerouted, failed}' }, ...errors(401, 403) },
    },
  },
  '/api/v1/admin/groups/{code}/members': {
    post: {
      summary: write('Add a staff user to a group (by userId or email)'),
      security: bearer,
      parameters: [groupCode],
      requestBody: json(memberSchema),
      responses: { 201: { description: 'membership' }, ...errors(400, 401, 403, 404, 415, 422) },
    },
  },
  '/api/v1/admin/groups/{code}/members/{userId}': {
    delete: {
      summary: write('Remove a member from a group'),
      security: bearer,
      parameters: [groupCode, pathParam('userId', 'u1', 'User id')],
      responses: { 200: { description: '{removed: true}' }, ...errors(401, 403, 404) },
    },
  },
  '/api/v1/admin/groups/{code}/rules': {
    post: {
      summary: write('Add a routing rule to a group'),
      description:
        'A case whose kind, topic, item and channel match every field the rule sets lands in the group, on registration and on reclassification; the rule setting the most fields wins, then the lowest position.',
      security: bearer,
      parameters: [groupCode],
      requestBody: json(routingRuleSchema),
      responses: { 201: { description: 'the rule' }, ...errors(400, 401, 403, 404, 415, 422) },
    },
  },
  '/api/v1/admin/groups/{code}/rules/{id}': {
    delete: {
      summary: write('Remove a routing rule'),
      security: bearer,
      parameters: [groupCode, pathParam('id', 'rule-id', 'Rule id')],
      responses: { 200: { description: '{removed: true}' }, ...errors(401, 403, 404) },
    },
  },
};
