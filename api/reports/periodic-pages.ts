// Staff pages of the management report (/painel/relatorios/gerencial) and the annual report
// (/painel/relatorios/anual): the figures in HTML, PDF/CSV/JSON links (the API, which accepts the session
// cookie), and — for the ombudsman and admins — the annual report's narrative sections, saved as a draft
// or published (audited, before → after).
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import {
  annualFigures,
  annualSectionKeys,
  readAnnualNarrative,
  saveAnnualNarrative,
} from '../../db/queries/reports/annual.ts';
import { managementReport } from '../../db/queries/reports/management.ts';
import { audit } from '../../db/queries/users.ts';
import { translator } from '../../views/i18n.ts';
import { requireRole } from '../auth/session.ts';
import { ApiError, toApiError } from '../errors.ts';
import { clientIp } from '../rate-limit.ts';
import { textString } from '../text.ts';
import type { AppEnv } from '../types.ts';
import { languageOf, render } from '../ui/render.ts';
import { parseYear } from './periodic.ts';
import { annualCharts, managementCharts } from './periodic-charts.ts';
import { parseReportQuery } from './query.ts';

export const periodicPages = new Hono<AppEnv>();

/** Who may write and publish the annual report's narrative. */
const narrativeWriters = ['admin', 'ombudsman'];

periodicPages.get('/painel/relatorios/gerencial', async (c) => {
  if (!c.var.user) return c.redirect('/entrar', 303);
  const user = requireRole(c);
  const { lang: _l, ...query } = c.req.query();
  let parsed: ReturnType<typeof parseReportQuery>;
  try {
    parsed = parseReportQuery(query, user, c.var.deps.timezone);
  } catch (err) {
    const e = toApiError(err);
    if (e.status !== 422) throw err;
    return render(
      c,
      'reports/management',
      { title: 'reports.management', report: null, values: query, errors: e.fields ?? {} },
      422,
    );
  }
  const report = await managementReport(c.var.deps.db, parsed.filter);
  const values = { from: parsed.filter.from, to: parsed.filter.to };
  return render(c, 'reports/management', {
    title: 'reports.management',
    report,
    charts: managementCharts(report, translator(languageOf(c)), languageOf(c)),
    values,
    errors: {},
    pdfHref: `/api/v1/reports/management?${new URLSearchParams({ ...values, format: 'pdf' })}`,
  });
});

async function annualPage(
  c: Context<AppEnv>,
  year: number,
  extra: Record<string, unknown> = {},
  status: 200 | 422 = 200,
) {
  const user = requireRole(c);
  const scope = user.role === 'unit' ? { unit: user.unitCode ?? '__none__' } : {};
  const [figures, narrative] = await Promise.all([
    annualFigures(c.var.deps.db, year, c.var.deps.timezone, scope),
    readAnnualNarrative(c.var.deps.db, year),
  ]);
  return render(
    c,
    'reports/annual',
    {
      title: 'reports.annual',
      year,
      figures,
      charts: annualCharts(figures, translator(languageOf(c)), languageOf(c)),
      narrative,
      total: figures.compliance.find((x) => x.kind === 'total') ?? null,
      canWrite: narrativeWriters.includes(user.role),
      sectionKeys: annualSectionKeys,
      errors: {},
      saved: c.req.query('salvo') === '1',
      ...extra,
    },
    status,
  );
}

periodicPages.get('/painel/relatorios/anual', async (c) => {
  if (!c.var.user) return c.redirect('/entrar', 303);
  requireRole(c);
  return annualPage(c, parseYear(c.req.query('ano'), c.var.deps.timezone));
});

const sectionText = textString().trim().max(20_000, { error: 'No máximo 20.000 caracteres.' }).optional();
const narrativeForm = z.object({
  ...Object.fromEntries(annualSectionKeys.map((k) => [k.key, sectionText])),
  intent: z.enum(['save', 'publish'], { error: 'Escolha salvar ou publicar.' }),
});

periodicPages.post('/painel/relatorios/anual', async (c) => {
  const user = requireRole(c);
  if (!narrativeWriters.includes(user.role)) throw new ApiError(403, 'forbidden', 'Acesso negado');
  const year = parseYear(c.req.query('ano'), c.var.deps.timezone);
  const form = await c.req.parseBody();
  const parsed = narrativeForm.safeParse(form);
  if (!parsed.success) {
    const errors: Record<string, string[]> = {};
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? 'form');
      errors[key] = [...(errors[key] ?? []), issue.message];
    }
    return annualPage(c, year, { errors, draft: form }, 422);
  }
  const { intent, ...texts } = parsed.data as Record<string, string>;
  const { before, after } = await saveAnnualNarrative(
    c.var.deps.db,
    year,
    texts,
    user.email,
    intent === 'publish',
  );
  await audit(c.var.deps.db, {
    actor: user.email,
    action: intent === 'publish' ? 'annual_report.publish' : 'annual_report.save',
    ip: clientIp(c),
    data: { entity: 'annual_report', id: String(year), before, after },
  });
  return c.redirect(`/painel/relatorios/anual?ano=${year}&salvo=1`, 303);
});
