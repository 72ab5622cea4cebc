// OpenAPI paths of the parameters engineer's admin routes (Regras gerais settings; e-mail templates),
// spread into adminOpenApiPaths (api/admin/openapi.ts). Bodies come from the same zod schemas.
import { settingsPatchSchema, settingsSchema } from '../../config/settings.ts';
import { bearerSecurity as bearer, errorResponses as errors, jsonBody as json } from '../openapi-parts.ts';

export const paramsOpenApiPaths = {
  '/api/v1/admin/settings': {
    get: {
      summary: 'Regras gerais: every setting, stored value over its default (admin, ombudsman)',
      security: bearer,
      responses: {
        200: {
          description: '{settings, defaults}',
          ...json(settingsSchema),
        },
        ...errors(401, 403),
      },
    },
    patch: {
      summary: 'Change some settings (admin)',
      description:
        'Only the keys sent change. Invalid values answer 422 with `fields` keyed by setting, and nothing changes. ' +
        'Audited before → after. A change of `cases.autoCloseDays` re-plans the open cases; a change of ' +
        '`cases.reopenWindowDays` tells the closed cases still live; the answer adds `signalled` (cases told).',
      security: bearer,
      requestBody: json(settingsPatchSchema),
      responses: { 200: { description: '{settings, signalled}' }, ...errors(400, 401, 403, 415, 422) },
    },
  },
};
