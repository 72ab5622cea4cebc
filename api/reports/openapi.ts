// OpenAPI paths of the reports area (api/reports/routes.ts); parameters mirror api/reports/query.ts.
import { filterKeys } from '../../db/queries/reports/filter.ts';
import { effortByValues, reportNames } from '../../db/queries/reports/registry.ts';
import { bearerSecurity, errorResponses as errors } from '../openapi-parts.ts';

const dateParam = (name: string, description: string) => ({
  name,
  in: 'query',
  required: false,
  description,
  schema: { type: 'string', pattern: '^(19|2[0-9])[0-9]{2}-[0-9]{2}-[0-9]{2}$', example: '2026-11-01' },
});

/** Period, filters and format of every operational report. */
export const reportQueryParameters = [
  dateParam('from', 'First day of the period (organisation timezone); default 29 days before `to`'),
  dateParam('to', 'Last day of the period, inclusive; default today. At most 3660 days in all.'),
  ...filterKeys.map((k) => ({
    name: k,
    in: 'query',
    required: false,
    description:
      k === 'unit'
        ? 'Unit code (cases forwarded to it); a unit user is always narrowed to their own unit'
        : `Only cases with this ${k} code`,
    schema: { type: 'string', maxLength: 200 },
  })),
  {
    name: 'effortBy',
    in: 'query',
    required: false,
    description: 'effort report: group time spent by attendant, unit or cost centre',
    schema: { type: 'string', enum: [...effortByValues] },
  },
  {
    name: 'format',
    in: 'query',
    required: false,
    description: 'json (default), csv (UTF-8 BOM, ";") or xlsx',
    schema: { type: 'string', enum: ['json', 'csv', 'xlsx'] },
  },
];

const reportBody = {
  type: 'object',
  required: ['name', 'columns', 'rows', 'chart', 'filter'],
  properties: {
    name: { type: 'string' },
    columns: { type: 'array', items: { type: 'object' } },
    rows: { type: 'array', items: { type: 'object' } },
    chart: { type: 'object' },
    filter: { type: 'object' },
  },
};

const pdfContent = { 'application/pdf': { schema: { type: 'string', format: 'binary' } } };

export const reportOpenApiPaths = {
  '/api/v1/reports/annual': {
    get: {
      summary:
        'Annual report (Lei 13.460/2017 arts. 14–15): received, reasons by kind and subject, recurring points, measures adopted, deadline compliance, narrative sections (staff; units only their unit)',
      security: bearerSecurity,
      parameters: [
        {
          name: 'year',
          in: 'query',
          required: false,
          description:
            'Calendar year (organisation timezone), 2000 to the current year; default the current year',
          schema: { type: 'string', pattern: '^[0-9]{4}$' },
        },
        {
          name: 'format',
          in: 'query',
          required: false,
          schema: { type: 'string', enum: ['json', 'csv', 'pdf'] },
        },
      ],
      responses: {
        200: {
          description:
            'The figures and narrative (json), the tables (csv: Tabela;Item;Subitem;Valor) or the PDF',
          content: {
            'application/json': { schema: { type: 'object' } },
            'text/csv': { schema: { type: 'string' } },
            ...pdfContent,
          },
        },
        ...errors(401, 403, 422),
      },
    },
  },
  '/api/v1/reports/management': {
    get: {
      summary:
        'Management report: the period against the previous one (volume, trend, on-time rate, top subjects, late units, satisfaction, measures taken)',
      security: bearerSecurity,
      parameters: [
        ...reportQueryParameters.filter((p) => p.name !== 'format' && p.name !== 'effortBy'),
        {
          name: 'format',
          in: 'query',
          required: false,
          schema: { type: 'string', enum: ['json', 'pdf'] },
        },
      ],
      responses: {
        200: {
          description: 'The management report (json) or its PDF',
          content: { 'application/json': { schema: { type: 'object' } }, ...pdfContent },
        },
        ...errors(401, 403, 422),
      },
    },
  },
  '/api/v1/reports': {
    get: {
      summary: 'Names of the operational reports (staff)',
      security: bearerSecurity,
      responses: { 200: { description: '{reports: string[]}' }, ...errors(401, 403) },
    },
  },
  '/api/v1/reports/{name}': {
    get: {
      summary:
        'One operational report over a period and filters (staff; units see only their own unit). Definitions: db/queries/reports/README.md',
      security: bearerSecurity,
      parameters: [
        {
          name: 'name',
          in: 'path',
          required: true,
          schema: { type: 'string', enum: [...reportNames] },
        },
        ...reportQueryParameters,
      ],
      responses: {
        200: {
          description: 'The report: columns, rows (codes and numbers), chart spec, the filter applied',
          content: {
            'application/json': { schema: reportBody },
            'text/csv': { schema: { type: 'string' } },
            'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': {
              schema: { type: 'string', format: 'binary' },
            },
          },
        },
        ...errors(401, 403, 404, 422),
      },
    },
  },
};
