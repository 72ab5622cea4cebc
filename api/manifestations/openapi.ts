// OpenAPI for the attendant's workspace: the list's query parameters (from the same zod schema), the
// queues and the exports.
import { z } from 'zod';
import { bearerSecurity, errorResponses as errors } from '../openapi-parts.ts';
import { listQuerySchema } from './schemas.ts';

const descriptions: Record<string, string> = {
  q: 'Search: protocol (or any fragment), subject, description, assignee, units; reporter name/e-mail when the caller may see them. Accent-insensitive, word prefixes ("semaf"), numbers inside codes ("116" finds "BR-116").',
  queue: "One of the caller's queues (GET /api/v1/queues)",
  assignee: '`me`, `none` or a staff e-mail',
  openedFrom: 'YYYY-MM-DD (start of the day in ORG_TIMEZONE) or an ISO 8601 instant',
  openedTo: 'YYYY-MM-DD (end of the day in ORG_TIMEZONE) or an ISO 8601 instant',
  dueFrom: 'YYYY-MM-DD or an ISO 8601 instant',
  dueTo: 'YYYY-MM-DD or an ISO 8601 instant',
  sort: '`received` (newest first, default), `due` (soonest first), `priority` (most urgent, then due)',
  cursor: 'nextCursor of the previous page (opaque; valid for the same sort)',
  sla: 'Stored SLA state',
  vip: '`1`: only cases of VIP people or companies (issue 11; only cases whose reporter the caller sees in full)',
  company: 'Company id (GET /api/v1/companies): only cases of its people (same restriction as `vip`)',
};

/** Query parameters of the list and of the exports; blank values mean "no filter". */
export function listQueryParameters() {
  return Object.entries(listQuerySchema.shape).map(([name, schema]) => {
    const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
    const { $schema: _drop, ...rest } = json;
    return {
      name,
      in: 'query',
      required: false,
      ...(descriptions[name] ? { description: descriptions[name] } : {}),
      schema: Object.keys(rest).length ? rest : { type: 'string' },
    };
  });
}

export function workspaceOpenApiPaths(listParams: ReturnType<typeof listQueryParameters>) {
  const exportOf = (type: string, what: string) => ({
    get: {
      summary: `Export the filtered list as ${what}, streamed (staff)`,
      security: bearerSecurity,
      parameters: listParams.filter((p) => p.name !== 'cursor' && p.name !== 'limit'),
      responses: { 200: { description: what, content: { [type]: {} } }, ...errors(401, 403, 422) },
    },
  });
  return {
    '/api/v1/queues': {
      get: {
        summary: "The caller's queues with their counts (staff)",
        security: bearerSecurity,
        responses: {
          200: { description: '{queues:[{name, count, href}], dueSoonBusinessDays}' },
          ...errors(401, 403),
        },
      },
    },
    '/api/v1/manifestations/export.csv': exportOf('text/csv', 'CSV (UTF-8 with BOM, ";" separated)'),
    '/api/v1/manifestations/export.xlsx': exportOf(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'XLSX',
    ),
  };
}
