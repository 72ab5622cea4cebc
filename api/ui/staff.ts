// Staff pages: sign-in/out, the case list (filter + full-text search, htmx fragment) and the case page
// with its actions done in place by htmx and still working as plain forms without JavaScript.
import { type Context, Hono } from 'hono';
import { ZodError } from 'zod';
import { listManifestations } from '../../db/queries/manifestations.ts';
import { listStaff } from '../../db/queries/users.ts';
import { allowedActions, type CaseAction } from '../../workflows/transitions.ts';
import { kinds, statuses } from '../../workflows/vocabulary.ts';
import { requireRole } from '../auth/session.ts';
import { ApiError, toApiError, zodFieldErrors } from '../errors.ts';
import { canStaffSee, presentCase } from '../manifestations/present.ts';
import { actionSchemas, listQuerySchema } from '../manifestations/schemas.ts';
import { getCaseView, runAction } from '../manifestations/service.ts';
import { limit } from '../rate-limit.ts';
import type { AppEnv } from '../types.ts';
import { isPartial, render } from './render.ts';

export const staffPages = new Hono<AppEnv>();

/** The actions the case page has forms for (views/_case.eta), in the order they are offered. */
const pageActions = ['assign', 'answer', 'close'] as const satisfies readonly CaseAction[];

staffPages.get('/entrar', (c) => {
  if (c.var.user) return c.redirect('/painel', 303);
  return render(c, 'signin', { title: 'signin.title', email: '', error: null });
});

staffPages.post('/entrar', limit('signin', 10), async (c) => {
  const form = await c.req.parseBody();
  const email = String(form.email ?? '').trim();
  const password = String(form.password ?? '');
  const result = await c.var.deps.auth.api
    .signInEmail({ body: { email, password }, headers: c.req.raw.headers, returnHeaders: true })
    .catch(() => null);
  if (!result) return render(c, 'signin', { title: 'signin.title', email, error: 'signin.invalid' }, 401);
  for (const cookie of result.headers.getSetCookie()) c.header('Set-Cookie', cookie, { append: true });
  return c.redirect('/painel', 303);
});

staffPages.post('/sair', async (c) => {
  const result = await c.var.deps.auth.api
    .signOut({ headers: c.req.raw.headers, returnHeaders: true })
    .catch(() => null);
  for (const cookie of result?.headers.getSetCookie() ?? []) c.header('Set-Cookie', cookie, { append: true });
  return c.redirect('/', 303);
});

function staffOrRedirect(c: Context<AppEnv>) {
  if (!c.var.user) return undefined;
  return requireRole(c);
}

staffPages.get('/painel', async (c) => {
  const user = staffOrRedirect(c);
  if (!user) return c.redirect('/entrar', 303);
  const parsed = listQuerySchema.safeParse(c.req.query());
  const filter = parsed.success ? parsed.data : {};
  const unitScope = user.role === 'unit' ? (user.unitCode ?? '__none__') : filter.unit;
  const { items, nextCursor } = await listManifestations(c.var.deps.db, { ...filter, unit: unitScope });
  const query = new URLSearchParams();
  if (filter.status) query.set('status', filter.status);
  if (filter.q) query.set('q', filter.q);
  if (filter.kind) query.set('kind', filter.kind);
  const data = {
    title: 'list.title',
    items,
    nextCursor,
    filter,
    query: query.toString(),
    statuses,
    kinds,
  };
  if (isPartial(c) && c.req.query('fragment') === 'rows') return render(c, '_case_rows', data);
  if (isPartial(c)) return render(c, '_case_results', data);
  return render(c, 'cases', data);
});

staffPages.get('/painel/casos/:protocol', async (c) => {
  const user = staffOrRedirect(c);
  if (!user) return c.redirect('/entrar', 303);
  return renderCase(c, c.req.param('protocol'));
});

staffPages.post('/painel/casos/:protocol/:action', async (c) => {
  const user = requireRole(c, ['admin', 'ombudsman', 'attendant']);
  const protocol = c.req.param('protocol');
  const action = c.req.param('action');
  if (!Object.hasOwn(actionSchemas, action)) throw new ApiError(404, 'not_found', 'Ação desconhecida');
  const key = action as keyof typeof actionSchemas;
  const form = Object.fromEntries(
    Object.entries(await c.req.parseBody()).filter(([, v]) => typeof v === 'string' && v !== ''),
  );
  try {
    const body = actionSchemas[key].parse(form);
    await runAction(c.var.deps, protocol, key, body as never, user.email);
  } catch (err) {
    const e =
      err instanceof ZodError
        ? new ApiError(422, 'invalid_body', 'Dados inválidos', zodFieldErrors(err))
        : toApiError(err);
    if (e.status !== 409 && e.status !== 422) throw err;
    return renderCase(
      c,
      protocol,
      { action: key, code: e.code, message: e.message, fields: e.fields ?? {}, values: form },
      e.status,
    );
  }
  if (isPartial(c)) return renderCase(c, protocol, undefined, 200, true);
  return c.redirect(`/painel/casos/${protocol}`, 303);
});

async function renderCase(
  c: Context<AppEnv>,
  protocol: string,
  failure?: {
    action: string;
    code: string;
    message: string;
    fields: Record<string, string[]>;
    values: Record<string, unknown>;
  },
  status: 200 | 409 | 422 = 200,
  updated = false,
) {
  const user = requireRole(c);
  const view = await getCaseView(c.var.deps, protocol);
  if (!canStaffSee(user, view)) throw new ApiError(404, 'not_found', 'Manifestação não encontrada');
  const presented = presentCase(view, { kind: 'staff', user });
  const canAct = ['admin', 'ombudsman', 'attendant'].includes(user.role);
  const data = {
    title: protocol,
    view: presented,
    actions: canAct
      ? pageActions.filter((a) => (allowedActions(view.status) as readonly string[]).includes(a))
      : [],
    staff: await listStaff(c.var.deps.db),
    failure: failure ?? null,
    updated,
  };
  return render(c, isPartial(c) ? '_case' : 'case', data, status);
}
