// Staff pages: sign-in/out, the case list (filter + full-text search, htmx fragment) and the case page
// with its actions done in place by htmx and still working as plain forms without JavaScript.

import { type Context, Hono } from 'hono';
import { ZodError } from 'zod';
import { setAttachmentsProtocol } from '../../db/queries/attachments.ts';
import { getGroup } from '../../db/queries/catalogue.ts';
import { markSeen } from '../../db/queries/manifestations.ts';
import { listUnits } from '../../db/queries/units.ts';
import { listStaff } from '../../db/queries/users.ts';
import { translator } from '../../views/i18n.ts';
import { allowedActions } from '../../workflows/transitions.ts';
import { filesOf } from '../attachments/upload.ts';
import { requireRole } from '../auth/session.ts';
import { signInStaff } from '../auth/sign-in.ts';
import { attachmentName, canReveal, staffViewer } from '../disclosure.ts';
import { ApiError, toApiError, zodFieldErrors } from '../errors.ts';
import { IDEMPOTENCY_FORM_FIELD, idempotencyKeyOf } from '../idempotency.ts';
import { actionsFor, authorizeAction } from '../manifestations/authorize.ts';
import { presentForStaff, readStaffEmails } from '../manifestations/present.ts';
import { actionSchemas } from '../manifestations/schemas.ts';
import { earlierOutcome, getCaseView, runAction } from '../manifestations/service.ts';
import { reasonOptions } from '../people/details.ts';
import { manifestantePanel } from '../people/panel.ts';
import { limit } from '../rate-limit.ts';
import { reportPages } from '../reports/pages.ts';
import type { AppEnv } from '../types.ts';
import { adminPages } from './admin/routes.ts';
import { caseActionSpecs } from './case-actions.ts';
import { caseFiles } from './case-files.ts';
import { caseMailPages } from './case-mail.ts';
import { formCatalogue } from './catalogue-choices.ts';
import { failurePages } from './failures.ts';
import { intakePages } from './intake.ts';
import { peoplePages } from './people.ts';
import { isPartial, languageOf, render } from './render.ts';
import { staffAccountPages } from './staff-account.ts';
import { staffAccountPublicPages } from './staff-account-public.ts';
import { checkUploads, storeCheckedUploads } from './uploads.ts';
import { worklistPages } from './worklist.ts';

/** Actions whose form carries staff files (issue 11: attachments on notes and answers, not only at intake). */
const staffFileActions = new Set<string>(['answer', 'note']);

/** Form fields that may repeat (checkboxes) and so arrive as arrays. */
const arrayFields: Partial<Record<string, string[]>> = { forward: ['units'] };

/** Non-empty string values of a form; repeated fields listed in `arrays` stay arrays. */
function formValues(body: Record<string, unknown>, arrays: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) {
    const list = (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string' && x !== '');
    if (arrays.includes(k)) out[k] = list;
    else if (list.length) out[k] = list[list.length - 1];
  }
  for (const k of arrays) out[k] ??= [];
  return out;
}

export const staffPages = new Hono<AppEnv>();
staffPages.route('/', adminPages); // /painel/admin (issue 10)
staffPages.route('/', staffAccountPublicPages); // /entrar/codigo, /entrar/esqueci, /definir-senha/:token
staffPages.route('/', staffAccountPages); // /painel/conta: own password, two-factor
staffPages.route('/', intakePages);
staffPages.route('/', failurePages);
staffPages.route('/', caseMailPages);
staffPages.route('/', worklistPages);
staffPages.route('/', reportPages); // /painel/relatorios (issue 12)
staffPages.route('/', peoplePages); // /painel/pessoas (issue 11)

staffPages.get('/entrar', (c) => {
  if (c.var.user) return c.redirect('/painel', 303);
  const notice = c.req.query('senha') === 'definida' ? 'access.setpw.done' : null;
  return render(c, 'signin', { title: 'signin.title', email: '', error: null, notice });
});

staffPages.post('/entrar', limit('signin', 10), async (c) => {
  const form = await c.req.parseBody();
  const email = String(form.email ?? '').trim();
  const password = String(form.password ?? '');
  // throttling per account, deactivated accounts, two-factor, audit: api/auth/sign-in.ts
  const outcome = await signInStaff(c, email, password, 'signin');
  if (outcome.kind === 'ok' || outcome.kind === 'two_factor') {
    for (const cookie of outcome.headers.getSetCookie()) c.header('Set-Cookie', cookie, { append: true });
    return c.redirect(outcome.kind === 'ok' ? '/painel' : '/entrar/codigo', 303);
  }
  const error = {
    invalid: 'signin.invalid',
    deactivated: 'access.signin.deactivated',
    locked: 'access.signin.locked',
  }[outcome.kind];
  const minutes = outcome.kind === 'locked' ? outcome.minutes : 0;
  return render(
    c,
    'signin',
    { title: 'signin.title', email, error, minutes },
    outcome.kind === 'locked' ? 429 : 401,
  );
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

staffPages.get('/painel/casos/:protocol', async (c) => {
  const user = staffOrRedirect(c);
  if (!user) return c.redirect('/entrar', 303);
  return renderCase(c, c.req.param('protocol'), undefined, 200, false, { markSeen: true });
});

staffPages.post('/painel/casos/:protocol/:action', async (c) => {
  const user = requireRole(c);
  const protocol = c.req.param('protocol');
  const action = c.req.param('action');
  if (!Object.hasOwn(actionSchemas, action)) throw new ApiError(404, 'not_found', 'Ação desconhecida');
  const key = action as keyof typeof actionSchemas;
  const raw = await c.req.parseBody({ all: true });
  const { [IDEMPOTENCY_FORM_FIELD]: formKey, ...form } = formValues(raw, arrayFields[key] ?? []);
  const files = staffFileActions.has(key) ? filesOf(raw) : []; // issue 11: files on notes and answers
  const idempotencyKey = idempotencyKeyOf(c, formKey);
  const earlier = await earlierOutcome(c.var.deps, protocol, user.email, idempotencyKey);
  if (earlier)
    return isPartial(c)
      ? renderCase(c, protocol, undefined, 200, true)
      : c.redirect(`/painel/casos/${protocol}`, 303);
  try {
    const body = actionSchemas[key].parse(form);
    authorizeAction(
      user,
      key,
      body as { unit?: string; visibility?: string },
      await getCaseView(c.var.deps, protocol),
    );
    const refused = await checkUploads(c.var.deps, files);
    if (refused.length) throw new ApiError(422, 'invalid_body', 'Dados inválidos', { attachments: refused });
    const attachmentIds = await storeCheckedUploads(c.var.deps, files, {
      protocol: null,
      source: 'staff',
      uploadedBy: user.email,
    });
    const input = attachmentIds.length ? { ...(body as object), attachmentIds } : body;
    await runAction(c.var.deps, protocol, key, input as never, user.email, { idempotencyKey });
    await setAttachmentsProtocol(c.var.deps.db, attachmentIds, protocol);
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

export async function renderCase(
  c: Context<AppEnv>,
  protocol: string,
  failure?: {
    action: string;
    code: string;
    message: string;
    fields: Record<string, string[]>;
    values: Record<string, unknown>;
  },
  status: 200 | 403 | 409 | 422 = 200,
  updated = false,
  opts: {
    markSeen?: boolean;
    /** right after a logged reveal (api/identity/pages.ts): this one response shows the reporter */
    revealed?: boolean;
    revealError?: { message: string; fields: Record<string, string[]>; purpose: string } | null;
  } = {},
) {
  const user = requireRole(c);
  const staffEmails = readStaffEmails(c.var.deps); // read while the Query waits
  const view = await getCaseView(c.var.deps, protocol);
  const presented = await presentForStaff(c.var.deps, view, user, opts.revealed ?? false, staffEmails);
  // Opening the case clears its "new activity" marker for this user (up to the last event shown).
  if (opts.markSeen) await markSeen(c.var.deps.db, user.id, protocol, view.timeline.at(-1)?.seq ?? 0);
  const lang = languageOf(c);
  const t = translator(lang);
  const staff = await listStaff(c.var.deps.db, undefined, { activeOnly: true }); // assignment pickers
  const units = (await listUnits(c.var.deps.db)).map((u) => ({ code: u.code, name: u.name }));
  const catalogue = await formCatalogue(c, { topic: view.topic, item: view.item });
  const reasons = await reasonOptions(c.var.deps, lang);
  const specs = caseActionSpecs(actionsFor(user, allowedActions(view.status)), {
    view: presented, // the options (e.g. unverified e-mails' senders) through the disclosure policy

    lang,
    userEmail: user.email,
    staff,
    units,
    kindLabel: (k) => t(`kind.${k}`, k),
    priorityLabel: (p) => t(`priority.${p}`, p),
    catalogue,
    reasons,
  });
  const viewer = staffViewer(user)!;
  const files = (await caseFiles(c.var.deps, protocol, { kind: 'staff' }, lang)).map((f, i) => ({
    ...f,
    filename: attachmentName(viewer, view, f, i, presented.revealed),
  }));
  const manifestante = await manifestantePanel(
    c.var.deps,
    protocol,
    viewer,
    view.identity,
    presented.revealed,
  );
  const data = {
    title: protocol,
    manifestante,
    reasonLabels: Object.fromEntries(reasons.map((r) => [r.value, r.label])),
    view: presented,
    files,
    specs,
    actions: specs.map((s) => s.action),
    units,
    staff,
    failure: failure ?? null,
    catalogueLabels: catalogue.labels,
    groupName: view.group ? ((await getGroup(c.var.deps.db, view.group))?.name ?? view.group) : null,
    updated,
    live: !!c.var.deps.caseEvents,
    reveal: {
      allowed: canReveal(viewer, view.identity) && !presented.revealed,
      error: opts.revealError ?? null,
      action: `/painel/casos/${protocol}/identidade`,
    },
  };
  return render(c, isPartial(c) ? '_case' : 'case', data, status);
}
