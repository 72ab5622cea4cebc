// OpenAPI paths of /api/v1/admin/users and /api/v1/admin/audit (spread into api/admin/openapi.ts).
import { staffRoleCodes } from '../../../db/queries/access.ts';
import {
  bearerSecurity as bearer,
  errorResponses as errors,
  jsonBody as json,
  pathParam,
} from '../../openapi-parts.ts';
import { inviteSchema, userPatchSchema } from './schemas.ts';

const userId = pathParam('id', 'Kx3Lr9…', 'User id');
const queryParam = (name: string, description: string, schema: Record<string, unknown>) => ({
  name,
  in: 'query',
  required: false,
  description,
  schema,
});
const dateSchema = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' };
const userDescription =
  '{id, name, email, role, unitCode, groups, active, twoFactorEnabled, invitationPending, createdAt}';

export const accessOpenApiPaths = {
  '/api/v1/admin/users': {
    get: {
      summary: 'Staff users (admin)',
      security: bearer,
      parameters: [
        queryParam('q', 'Part of the name or e-mail', { type: 'string', maxLength: 120 }),
        queryParam('role', 'Only this role', { type: 'string', enum: [...staffRoleCodes] }),
        queryParam('active', 'Only active (true) or deactivated (false) users', {
          type: 'string',
          enum: ['true', 'false'],
        }),
      ],
      responses: { 200: { description: `{items: [${userDescription}]}` }, ...errors(401, 403, 422) },
    },
    post: {
      summary:
        'Invite a staff user (admin): creates the account without a password and mails a one-time link ' +
        '(valid 3 days) where the person sets it. A unit user needs unitCode.',
      security: bearer,
      requestBody: json(inviteSchema),
      responses: { 201: { description: userDescription }, ...errors(401, 403, 415, 422) },
    },
  },
  '/api/v1/admin/users/{id}': {
    get: {
      summary: 'One staff user (admin)',
      security: bearer,
      parameters: [userId],
      responses: { 200: { description: userDescription }, ...errors(401, 403, 404) },
    },
    patch: {
      summary:
        'Edit name, role, unit, groups; active=false deactivates (sessions revoked, sign-in refused, the ' +
        'name stays on the cases). The last active admin cannot be demoted or deactivated.',
      security: bearer,
      parameters: [userId],
      requestBody: json(userPatchSchema),
      responses: { 200: { description: userDescription }, ...errors(401, 403, 404, 415, 422) },
    },
  },
  '/api/v1/admin/users/{id}/password-link': {
    post: {
      summary: 'Mail the invitation again (no password yet) or a password reset link (admin)',
      security: bearer,
      parameters: [userId],
      responses: {
        202: { description: '{sent: true, kind: invitation|password_reset}' },
        ...errors(401, 403, 404, 409),
      },
    },
  },
  '/api/v1/admin/audit': {
    get: {
      summary:
        'Audit list (admin, ombudsman), newest first: who, when, action, entity, before → after. Dates are ' +
        'whole days in the organisation timezone; `to` is inclusive.',
      security: bearer,
      parameters: [
        queryParam('actor', 'Part of the actor (e-mail)', { type: 'string', maxLength: 254 }),
        queryParam('action', 'An action (users.invited) or its prefix (users)', {
          type: 'string',
          maxLength: 100,
        }),
        queryParam('entity', 'data.entity (user, settings, calendar…)', { type: 'string', maxLength: 100 }),
        queryParam('from', 'First day (AAAA-MM-DD)', dateSchema),
        queryParam('to', 'Last day (AAAA-MM-DD)', dateSchema),
        queryParam('cursor', 'nextCursor of the previous page', { type: 'string', maxLength: 200 }),
        queryParam('limit', 'Page size', { type: 'integer', minimum: 1, maximum: 200 }),
      ],
      responses: {
        200: {
          description:
            '{items: [{id, at, actor, action, ip, entity, entityId, before, after, data}], nextCursor}',
        },
        ...errors(401, 403, 422),
      },
    },
  },
};
