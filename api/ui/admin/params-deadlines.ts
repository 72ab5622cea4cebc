// Administração → Prazos e calendários (/painel/admin/prazos): deadline policies (list, create, edit,
// deactivate), calendars (weekly hours, overtime, state, holidays and closures, the year's federal pontos
// facultativos in one click) and the deadline preview. Plain forms (POST → 303 or 422 with the form
// re-rendered); every change goes through api/admin/sla-service.ts like the REST routes: validated,
// audited before → after, and signalled to the open cases.
import { type Context, Hono } from 'hono';
import { ZodError } from 'zod';
import { createDeadlineActivities } from '../../../activities/deadline.ts';
import { listItems, listTopics } from '../../../db/queries/catalogue.ts';
import { readSettings } from '../../../db/queries/settings.ts';
import {
  getCalendar,
  getPolicy,
  listCalendars,
  listOverrides,
  listPolicies,
} from '../../../db/queries/sla.ts';
import { kinds, priorities } from '../../../workflows/vocabulary.ts';
import { applyPontosFacultativos } from '../../admin/pontos-facultativos.ts';
import {
  brazilianStates,
  calendarBodySchema,
  dateParamSchema,
  deadlineUnits,
  newPolicySchema,
  overrideBodySchema,
  policyPatchSchema,
  previewSchema,
  scopes,
} from '../../admin/schemas.ts';
import {
  createPolicyCase,
  deleteOverrideCase,
  putOverrideCase,
  saveCalendarCase,
  updatePolicyCase,
} from '../../admin/sla-service.ts';
import { requireRole } from '../../auth/session.ts';
import { ApiError, type FieldErrors, notFound, zodFieldErrors } from '../../errors.ts';
import { clientIp } from '../../rate-limit.ts';
import type { AppEnv } from '../../types.ts';
import { isoToLocal, localToIso } from '../local-time.ts';
import { isPartial, render } from '../render.ts';
import {
  calendarFromForm,
  calendarValues,
  collapseErrors,
  dayNumbers,
  type Form,
  parseSegments,
  policyFromForm,
  policyValues,
} from './params-deadlines-form.ts';
import { adminSections } from './sections.ts';

export const deadlinePages = new Hono<AppEnv>();
const BASE = '/painel/admin/prazos';

type C = Context<AppEnv>;
const actor = (c: C) => ({ email: requireRole(c, ['admin']).email, ip: clientIp(c) });

/** 422 field errors of a refused change (zod or ApiError 422); anything else is rethrown. */
function refusal(err: unknown): FieldErrors {
  if (err instanceof ZodError) return collapseErrors(zodFieldErrors(err));
  if (err instanceof ApiError && (err.status === 422 || err.status === 409))
    return collapseErrors(err.fields ?? { _: [err.message] });
  throw err;
}

async function common(c: C) {
  const user = requireRole(c, ['admin', 'ombudsman']);
  const db = c.var.deps.db;
  const [topics, items, calendars] = await Promise.all([listTopics(db), listItems(db), listCalendars(db)]);
  const topicLabel = new Map(topics.map((t) => [t.code, t.labelPt]));
  return {
    adminSections: adminSections.filter((s) => user.role === 'admin' || s.ombudsmanReads),
    canEdit: user.role === 'admin',
    fragment: isPartial(c),
    kinds,
    priorities,
    scopes,
    deadlineUnits,
    brazilianStates,
    dayNumbers,
    calendars,
    topics: topics.map((t) => ({ code: t.code, label: t.labelPt, kind: t.kind, active: t.active })),
    items: items.map((i) => ({
      code: i.code,
      label: `${topicLabel.get(i.topicCode) ?? i.topicCode} › ${i.labelPt}`,
      active: i.active,
    })),
  };
}

// ---------- overview: policies, calendars, preview ----------
async function overview(
  c: C,
  preview: { values: Form; errors: FieldErrors; result: unknown } | null,
  status: 200 | 422 = 200,
) {
  const policies = await listPolicies(c.var.deps.db);
  return render(
    c,
    'admin/params-deadlines',
    {
      title: 'params.deadlines.title',
      ...(await common(c)),
      policies,
      autoCloseDays: (await readSettings(c.var.deps.db))['cases.autoCloseDays'],
      done: c.req.query('feito') ?? '',
      preview: preview ?? {
        // a sample case received now (in the organisation's time), so "Calcular" answers at once
        values: {
          start: isoToLocal(new Date(), c.var.deps.timezone),
          scope: 'case',
          kind: 'complaint',
          priority: 'normal',
        },
        errors: {},
        result: null,
      },
    },
    status,
  );
}

deadlinePages.get(BASE, (c) => overview(c, null));

deadlinePages.post(`${BASE}/previa`, async (c) => {
  requireRole(c, ['admin', 'ombudsman']);
  const f = await c.req.parseBody();
  const values = f as Form;
  const start = localToIso(String(f.start ?? ''), c.var.deps.timezone);
  const candidate = {
    scope: String(f.scope ?? 'case'),
    kind: String(f.kind ?? 'complaint'),
    priority: String(f.priority ?? 'normal'),
    item: String(f.item ?? '') || null,
    topic: String(f.topic ?? '') || null,
    start: start ?? '',
    extensions: /^\d+$/.test(String(f.extensions ?? '')) ? Number(f.extensions) : 0,
  };
  const parsed = previewSchema.safeParse(candidate);
  if (!parsed.success) {
    const errors = collapseErrors(zodFieldErrors(parsed.error));
    if (!start) errors.start = ['Informe a data e a hora de recebimento.'];
    return overview(c, { values, errors, result: null }, 422);
  }
  const { planDeadline } = createDeadlineActivities({ db: c.var.deps.db, timezone: c.var.deps.timezone });
  const result = await planDeadline({ ...parsed.data, pauses: [] });
  return overview(c, { values, errors: {}, result });
});

// ---------- policies ----------
async function policyPage(
  c: C,
  data: { id: string | null; values: Form; errors: FieldErrors },
  status: 200 | 422 = 200,
) {
  return render(
    c,
    'admin/params-policy',
    { title: data.id ? 'params.policy.edit' : 'params.policy.new', ...(await common(c)), ...data },
    status,
  );
}

deadlinePages.get(`${BASE}/politicas/nova`, (c) =>
  policyPage(c, {
    id: null,
    values: {
      scope: 'case',
      unit: 'business_days',
      calendarId: 'default',
      complementation: 'interrupt_once',
      extensionAmount: '0',
      maxExtensions: '0',
    },
    errors: {},
  }),
);

deadlinePages.post(`${BASE}/politicas/nova`, async (c) => {
  const f = (await c.req.parseBody()) as Form;
  try {
    const body = newPolicySchema.parse(policyFromForm(f, { create: true }));
    await createPolicyCase(c.var.deps, actor(c), body);
  } catch (err) {
    return policyPage(c, { id: null, values: f, errors: refusal(err) }, 422);
  }
  return c.redirect(`${BASE}?feito=politica`, 303);
});

deadlinePages.get(`${BASE}/politicas/:id`, async (c) => {
  const row = await getPolicy(c.var.deps.db, c.req.param('id'));
  if (!row) throw notFound('Política não encontrada');
  return policyPage(c, { id: row.id, values: policyValues(row), errors: {} });
});

deadlinePages.post(`${BASE}/politicas/:id`, async (c) => {
  const id = c.req.param('id');
  if (!(await getPolicy(c.var.deps.db, id))) throw notFound('Política não encontrada');
  const f = (await c.req.parseBody()) as Form;
  try {
    const body = policyPatchSchema.parse(policyFromForm(f, { create: false }));
    await updatePolicyCase(c.var.deps, actor(c), id, body);
  } catch (err) {
    return policyPage(c, { id, values: { ...f, active: f.active === 'on' }, errors: refusal(err) }, 422);
  }
  return c.redirect(`${BASE}?feito=politica`, 303);
});

// ---------- calendars ----------
async function calendarPage(
  c: C,
  id: string,
  data: {
    values?: Form;
    errors?: FieldErrors;
    override?: { values: Form; errors: FieldErrors };
    notice?: string;
  },
  status: 200 | 422 = 200,
) {
  const row = await getCalendar(c.var.deps.db, id);
  if (!row) throw notFound('Calendário não encontrado');
  const overrides = await listOverrides(c.var.deps.db, id);
  return render(
    c,
    'admin/params-calendar',
    {
      title: 'params.calendar.title',
      ...(await common(c)),
      calendar: row,
      overrides,
      values: data.values ?? calendarValues(row),
      errors: data.errors ?? {},
      override: data.override ?? { values: { kind: 'holiday' }, errors: {} },
      notice: data.notice ?? c.req.query('feito') ?? '',
      year: new Date().getFullYear(),
    },
    status,
  );
}

deadlinePages.get(`${BASE}/calendarios/:id`, (c) => calendarPage(c, c.req.param('id'), {}));

deadlinePages.post(`${BASE}/calendarios/:id`, async (c) => {
  const id = c.req.param('id');
  const f = (await c.req.parseBody()) as Form;
  const { body, errors } = calendarFromForm(f);
  try {
    if (Object.keys(errors).length) throw new ApiError(422, 'invalid_body', 'Dados inválidos', errors);
    await saveCalendarCase(c.var.deps, actor(c), id, calendarBodySchema.parse(body));
  } catch (err) {
    return calendarPage(c, id, { values: f, errors: refusal(err) }, 422);
  }
  return c.redirect(`${BASE}/calendarios/${id}?feito=calendario`, 303);
});

deadlinePages.post(`${BASE}/calendarios/:id/excecoes`, async (c) => {
  const id = c.req.param('id');
  const f = (await c.req.parseBody()) as Form;
  const date = String(f.date ?? '');
  try {
    const errors: FieldErrors = {};
    const d = dateParamSchema.safeParse(date);
    if (!d.success) errors.date = d.error.issues.map((i) => i.message);
    const hoursText = String(f.hours ?? '').trim();
    const hours = hoursText ? parseSegments(hoursText) : undefined;
    if (hours === null) errors.hours = ['Use HH:MM-HH:MM, separados por vírgula (ex.: 08:00-12:00)'];
    const body = overrideBodySchema.safeParse({ kind: f.kind, name: f.name, ...(hours ? { hours } : {}) });
    if (!body.success) Object.assign(errors, collapseErrors(zodFieldErrors(body.error)));
    if (Object.keys(errors).length || !body.success)
      throw new ApiError(422, 'invalid_body', 'Dados inválidos', errors);
    await putOverrideCase(c.var.deps, actor(c), id, date, body.data);
  } catch (err) {
    return calendarPage(c, id, { override: { values: f, errors: refusal(err) } }, 422);
  }
  return c.redirect(`${BASE}/calendarios/${id}?feito=excecao`, 303);
});

deadlinePages.post(`${BASE}/calendarios/:id/excecoes/:date/remover`, async (c) => {
  const id = c.req.param('id');
  await deleteOverrideCase(c.var.deps, actor(c), id, c.req.param('date'));
  return c.redirect(`${BASE}/calendarios/${id}?feito=removida`, 303);
});

deadlinePages.post(`${BASE}/calendarios/:id/pontos-facultativos`, async (c) => {
  const id = c.req.param('id');
  const f = (await c.req.parseBody()) as Form;
  const year = Number(f.year);
  if (!Number.isInteger(year) || year < 2000 || year > 2100)
    return calendarPage(c, id, { notice: 'ano-invalido' }, 422);
  const { added, kept } = await applyPontosFacultativos(c.var.deps, actor(c), id, year);
  return c.redirect(`${BASE}/calendarios/${id}?feito=pontos-${added.length}-${kept.length}-${year}`, 303);
});
