// OpenAPI paths of the parameters engineer's admin routes (Regras gerais settings; e-mail templates),
// spread into adminOpenApiPaths (api/admin/openapi.ts). Bodies come from the same zod schemas.
import { z } from 'zod';
import { settingsPatchSchema, settingsSchema } from '../../config/settings.ts';
import { emailTemplates } from '../../views/emails/model.ts';
import {
  bearerSecurity as bearer,
  errorResponses as errors,
  jsonBody as json,
  pathParam,
} from '../openapi-parts.ts';
import { emailTemplateBodySchema } from './email-templates.ts';

const templateParams = [
  { ...pathParam('template', 'receipt', 'Template'), schema: { type: 'string', enum: [...emailTemplates] } },
  { ...pathParam('lang', 'pt-BR', 'Language'), schema: { type: 'string', enum: ['pt-BR', 'en'] } },
];
const templateShape = '{template, lang, edited, subject, body, updatedAt, updatedBy}';

export const paramsOpenApiPaths = {
  '/api/v1/admin/settings': {
    get: {
      summary: 'Regras gerais: every setting, stored value over its default (admin, ombudsman)',
      security: bearer,
      responses: {
        200: {
          description: '{settings, defaults}: the values in force and the built-in defaults',
          ...json(z.object({ settings: settingsSchema, defaults: settingsSchema })),
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
  '/api/v1/admin/email-templates': {
    get: {
      summary:
        'E-mail templates per language, edited or built-in, and the placeholders they may use (admin, ombudsman)',
      security: bearer,
      responses: { 200: { description: `{placeholders, items: [${templateShape}]}` }, ...errors(401, 403) },
    },
  },
  '/api/v1/admin/email-templates/{template}/{lang}': {
    get: {
      summary: 'One e-mail template (the built-in draft when not edited) (admin, ombudsman)',
      security: bearer,
      parameters: templateParams,
      responses: { 200: { description: templateShape }, ...errors(401, 403, 404) },
    },
    put: {
      summary: 'Edit the subject and body of a template (admin)',
      description:
        'Plain text with placeholders ({{protocolo}}, {{nome}}, {{assunto}}, {{tipo}}, {{situacao}}, {{prazo}}, {{data}}, ' +
        '{{texto}}, {{unidades}}, {{link}}, {{codigo}}); every value is escaped. An unknown placeholder answers 422. Audited.',
      security: bearer,
      parameters: templateParams,
      requestBody: json(emailTemplateBodySchema),
      responses: { 200: { description: templateShape }, ...errors(400, 401, 403, 404, 415, 422) },
    },
    delete: {
      summary: 'Reset a template to the built-in version (admin)',
      security: bearer,
      parameters: templateParams,
      responses: { 200: { description: templateShape }, ...errors(401, 403, 404) },
    },
  },
  '/api/v1/admin/email-templates/{template}/{lang}/preview': {
    post: {
      summary: 'Render a subject and body for a sample case, without saving (admin, ombudsman)',
      security: bearer,
      parameters: templateParams,
      requestBody: json(emailTemplateBodySchema),
      responses: { 200: { description: '{subject, html, text}' }, ...errors(400, 401, 403, 404, 415, 422) },
    },
  },
};
