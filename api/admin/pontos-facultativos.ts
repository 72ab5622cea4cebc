// REST: the federal pontos facultativos of a year, offered as closures an admin applies to a calendar
// in one action (activities/sla/pontos-facultativos.ts says which days and why). Applying adds the
// overrides that do not exist yet (an override already on that date is kept), bumps the calendar
// version once, is audited, and re-plans the open cases like any calendar edit.
//   GET  /calendars/{id}/pontos-facultativos?year=2026  → {calendarId, year, items: [{date, kind, name, hours, override}]}
//   POST /calendars/{id}/pontos-facultativos {year, dates?} → {calendarId, year, calendarVersion, added, kept, signalled}
import type { Context } from 'hono';
import { Hono } from 'hono';
import { z } from 'zod';
import { loadCalendar } from '../../activities/deadline.ts';
import { type PontoFacultativo, pontosFacultativos } from '../../activities/sla/pontos-facultativos.ts';
import { addOverrides, listOverrides } from '../../db/queries/sla.ts';
import { audit } from '../../db/queries/users.ts';
import { requireRole } from '../auth/session.ts';
import { ApiError, notFound } from '../errors.ts';
import { readJson } from '../json.ts';
import { clientIp } from '../rate-limit.ts';
import type { AppDeps, AppEnv } from '../types.ts';
import { signalOpenCases } from './notify.ts';
import { dateParamSchema } from './schemas.ts';

export const pontosFacultativosRoutes = new Hono<AppEnv>();

const yearSchema = z.coerce
  .number({ error: 'Informe o ano (ex.: 2026)' })
  .int('Informe o ano como número inteiro (ex.: 2026)')
  .min(2000, 'Ano entre 2000 e 2100')
  .max(2100, 'Ano entre 2000 e 2100');

export const pontosFacultativosBodySchema = z.strictObject(
  {
    year: yearSchema,
    /** only these dates of the year's list (default: all of them) */
    dates: z.array(dateParamSchema).min(1, 'Informe ao menos uma data ou omita o campo').optional(),
  },
  {
    error: (iss) =>
      iss.code === 'unrecognized_keys' ? `Campo(s) desconhecido(s): ${iss.keys.join(', ')}` : undefined,
  },
);

const invalid = (field: string, issues: z.core.$ZodIssue[]) =>
  new ApiError(422, 'invalid_body', 'Dados inválidos', { [field]: issues.map((i) => i.message) });

async function offered(c: Context<AppEnv>, id: string, year: number) {
  const loaded = await loadCalendar(c.var.deps.db, id, `${year}-01-01`);
  if (!loaded) throw notFound('Calendário não encontrado');
  return { loaded, items: pontosFacultativos(year, loaded.calendar) };
}

pontosFacultativosRoutes.get('/calendars/:id/pontos-facultativos', async (c) => {
  requireRole(c, ['admin', 'ombudsman']);
  const year = yearSchema.safeParse(c.req.query('year') ?? new Date().getFullYear());
  if (!year.success) throw invalid('year', year.error.issues);
  const id = c.req.param('id');
  const { items } = await offered(c, id, year.data);
  const overrides = await listOverrides(c.var.deps.db, id, `${year.data}-01-01`);
  return c.json({
    calendarId: id,
    year: year.data,
    items: items.map((p) => {
      const o = overrides.find((x) => x.date === p.date);
      return { ...present(p), override: o ? { kind: o.kind, name: o.name, hours: o.hours ?? null } : null };
    }),
  });
});

/**
 * Adds the year's federal pontos facultativos (or only `dates` of them) as overrides of calendar `id`;
 * an override already on a date is kept. Bumps the calendar version once, audits
 * `{entity:'calendar', id, before: null, after: {added}}` and re-plans the open cases when any was added.
 * Errors: 404 unknown calendar; 422 a date that is not offered.
 */
export async function applyPontosFacultativos(
  deps: Pick<AppDeps, 'db' | 'temporal'>,
  actor: { email: string; ip: string | null },
  id: string,
  year: number,
  dates?: string[],
) {
  const loaded = await loadCalendar(deps.db, id, `${year}-01-01`);
  if (!loaded) throw notFound('Calendário não encontrado');
  const items = pontosFacultativos(year, loaded.calendar);
  const unknown = (dates ?? []).filter((d) => !items.some((p) => p.date === d));
  if (unknown.length)
    throw new ApiError(422, 'invalid_body', 'Dados inválidos', {
      dates: [
        `Não é ponto facultativo federal em dia de expediente em ${year}: ${unknown.join(', ')} (oferecidos: ${items.map((p) => p.date).join(', ') || 'nenhum'})`,
      ],
    });
  const chosen = dates ? items.filter((p) => dates.includes(p.date)) : items;
  const saved = await addOverrides(deps.db, id, chosen);
  if (!saved) throw notFound('Calendário não encontrado');
  const { added, kept, calendar } = saved;
  await audit(deps.db, {
    actor: actor.email,
    action: 'sla.calendar.pontos_facultativos.applied',
    ip: actor.ip,
    data: {
      entity: 'calendar',
      id,
      calendarId: id,
      year,
      version: calendar.version,
      added: added.map((o) => o.date),
      before: null,
      after: { added: added.map((o) => ({ date: o.date, name: o.name })) },
    },
  });
  const report = added.length
    ? await signalOpenCases(deps, {
        id: `calendar:${id}:v${calendar.version}`,
        calendarVersion: calendar.version,
      })
    : { signalled: 0, failed: 0 };
  return { added, kept, calendar, report };
}

pontosFacultativosRoutes.post('/calendars/:id/pontos-facultativos', async (c) => {
  const user = requireRole(c, ['admin']);
  const body = pontosFacultativosBodySchema.parse(await readJson(c.req.raw));
  const id = c.req.param('id');
  const { added, kept, calendar, report } = await applyPontosFacultativos(
    c.var.deps,
    { email: user.email, ip: clientIp(c) },
    id,
    body.year,
    body.dates,
  );
  const show = (o: { date: string; kind: string; name: string; hours: unknown }) => ({
    date: o.date,
    kind: o.kind,
    name: o.name,
    hours: o.hours ?? null,
  });
  return c.json({
    calendarId: id,
    year: body.year,
    calendarVersion: calendar.version,
    added: added.map(show),
    kept: kept.map(show),
    signalled: report.signalled,
    ...(report.failed ? { signalFailures: report.failed } : {}),
  });
});

const present = (p: PontoFacultativo) => ({
  date: p.date,
  kind: p.kind,
  name: p.name,
  hours: p.hours ?? null,
});
