// The query string of a report (page and API): period, filters, format; validated with pt-BR messages.
// A unit user is always narrowed to their own unit (issue 12: units see only their unit's figures).
import { z } from 'zod';
import { filterKeys, type ReportFilter } from '../../db/queries/reports/filter.ts';
import { effortByValues } from '../../db/queries/reports/registry.ts';
import type { StaffUser } from '../auth/session.ts';
import { ApiError } from '../errors.ts';

const isoDate = z
  .string({ error: 'Informe a data no formato AAAA-MM-DD.' })
  .regex(/^(19|2\d)\d{2}-\d{2}-\d{2}$/, { error: 'Informe a data no formato AAAA-MM-DD.' })
  .refine(
    (s) =>
      !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
    {
      error: 'Data inexistente.',
    },
  );
const code = z
  .string()
  .trim()
  .max(200, { error: 'No máximo 200 caracteres.' })
  .refine((v) => ![...v].some((ch) => ch.charCodeAt(0) < 32), { error: 'Caracteres inválidos.' })
  .optional();

/** Longest period a report covers (days). */
export const MAX_PERIOD_DAYS = 3660;

export const reportQuerySchema = z.object({
  from: isoDate.optional(),
  to: isoDate.optional(),
  format: z.enum(['json', 'csv', 'xlsx'], { error: 'Formato: json, csv ou xlsx.' }).optional(),
  effortBy: z.enum(effortByValues, { error: 'Agrupar por: attendant, unit ou cost_centre.' }).optional(),
  ...Object.fromEntries(filterKeys.map((k) => [k, code])),
});

/** Today as YYYY-MM-DD in `tz`. */
export function localToday(tz: string, now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: tz,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}

const minusDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);

export type ParsedReportQuery = {
  filter: ReportFilter;
  format: 'json' | 'csv' | 'xlsx' | undefined;
  effortBy: (typeof effortByValues)[number] | undefined;
};

/**
 * Parses the query (422 `invalid_query` with field errors) into the report filter; the period defaults to
 * the 30 days ending today (organisation timezone). Unit users get `unit` = their own unit, whatever they ask.
 */
export function parseReportQuery(
  query: Record<string, string>,
  user: StaffUser,
  tz: string,
): ParsedReportQuery {
  const parsed = reportQuerySchema.safeParse(query);
  if (!parsed.success) {
    const fields: Record<string, string[]> = {};
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? 'query');
      fields[key] = [...(fields[key] ?? []), issue.message];
    }
    throw new ApiError(422, 'invalid_query', 'Parâmetros do relatório inválidos', fields);
  }
  const q = parsed.data as Record<string, string | undefined>;
  const to = q.to ?? localToday(tz);
  const from = q.from ?? minusDays(to, 29);
  const invalid = (field: string, message: string) =>
    new ApiError(422, 'invalid_query', 'Parâmetros do relatório inválidos', { [field]: [message] });
  if (from > to) throw invalid('from', 'O início deve ser antes do fim.');
  if ((Date.parse(to) - Date.parse(from)) / 86_400_000 >= MAX_PERIOD_DAYS)
    throw invalid('from', `Período de no máximo ${MAX_PERIOD_DAYS} dias.`);
  const filter: ReportFilter = { from, to, tz };
  for (const k of filterKeys) if (q[k]) filter[k] = q[k];
  if (user.role === 'unit') filter.unit = user.unitCode ?? '__none__';
  return {
    filter,
    format: parsed.data.format,
    effortBy: parsed.data.effortBy,
  };
}
