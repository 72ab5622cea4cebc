// The citizen portal (/acompanhar/:protocol, access by the signed follow cookie): the case's public view,
// its files, and what the citizen may do now (allowedCitizenActions): reply to a request for
// complementation (with files), accept or reject the answer, rate the service. Plain forms (303 back to the
// page) enhanced by htmx (the #follow-case fragment swapped in place); 422 field errors, 409 wrong moment.
import { type Context, Hono } from 'hono';
import { getAttachment } from '../../db/queries/attachments.ts';
import type { CaseView } from '../../workflows/messages.ts';
import { allowedCitizenActions, type CitizenAction } from '../../workflows/transitions.ts';
import { sendAttachment } from '../attachments/routes.ts';
import { filesOf } from '../attachments/upload.ts';
import { ApiError, type FieldErrors, notFound, toApiError, zodFieldErrors } from '../errors.ts';
import {
  assertCitizenActionAllowed,
  citizenActionsNow,
  featureSettings,
  filingRefusals,
  finalRatingStatuses,
} from '../features.ts';
import { IDEMPOTENCY_FORM_FIELD, idempotencyKeyOf } from '../idempotency.ts';
import { presentForCitizen } from '../manifestations/present.ts';
import { citizenActionSchemas } from '../manifestations/schemas.ts';
import { earlierOutcome, getCaseView, runAction } from '../manifestations/service.ts';
import { limit } from '../rate-limit.ts';
import type { AppEnv } from '../types.ts';
import { caseFiles, citizenVisibleIds } from './case-files.ts';
import { canFollow, followRequired, isStaffSession, staffSessionRefused } from './follow-access.ts';
import { isPartial, languageOf, render } from './render.ts';
import { checkUploads, storeCheckedUploads, uploadLimits } from './uploads.ts';

export const citizenPages = new Hono<AppEnv>();

// The portal is the citizen's: a staff session never uses it (staff read the case at /painel/casos/…).
for (const path of ['/acompanhar/:protocol', '/acompanhar/:protocol/*'])
  citizenPages.use(path, async (c, next) => {
    if (isStaffSession(c)) throw staffSessionRefused();
    await next();
  });

/** pt-BR paths of the portal actions → the API's action names. */
const verbs = { responder: 'reply', aceitar: 'accept', recusar: 'reject', avaliar: 'rate' } as const;
type Verb = keyof typeof verbs;

type Failure = { action: CitizenAction; code: string; message: string; fields: FieldErrors; values: Values };
type Values = Record<string, string>;

/** The last non-empty string of each field (files and empty fields left out). */
function textValues(body: Record<string, unknown>): Values {
  const out: Values = {};
  for (const [k, v] of Object.entries(body)) {
    const list = (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string' && x !== '');
    if (list.length) out[k] = list[list.length - 1]!;
  }
  return out;
}

async function renderFollow(
  c: Context<AppEnv>,
  protocol: string,
  opts: { failure?: Failure; done?: CitizenAction | null; status?: 200 | 409 | 422 } = {},
) {
  const deps = c.var.deps;
  const raw = await getCaseView(deps, protocol);
  const view = presentForCitizen(raw);
  const settings = await featureSettings(deps);
  const files = await caseFiles(
    deps,
    protocol,
    { kind: 'citizen', visible: citizenVisibleIds(raw) },
    languageOf(c),
  );
  c.header('Cache-Control', 'no-store');
  return render(
    c,
    isPartial(c) ? '_follow_case' : 'follow-case',
    {
      title: protocol,
      view,
      files,
      allowed: citizenActionsNow(settings, view.status),
      finalRating: finalRatingStatuses.includes(view.status),
      lastRating: view.ratings.at(-1) ?? null,
      uploads: settings['features.publicAttachments'] ? uploadLimits(deps) : null,
      base: `/acompanhar/${protocol}/`,
      failure: opts.failure ?? null,
      done: opts.done ?? null,
    },
    opts.status ?? 200,
  );
}

citizenPages.get('/acompanhar/:protocol', async (c) => {
  const protocol = c.req.param('protocol');
  if (!(await canFollow(c, protocol)))
    return c.redirect(`/acompanhar?protocolo=${encodeURIComponent(protocol)}`, 303);
  const feito = c.req.query('feito') ?? '';
  const done = Object.hasOwn(verbs, feito) ? verbs[feito as Verb] : null;
  return renderFollow(c, protocol, { done });
});

citizenPages.post('/acompanhar/:protocol/:verb', limit('citizen-portal', 30), async (c) => {
  const protocol = c.req.param('protocol');
  const verb = c.req.param('verb');
  if (!Object.hasOwn(verbs, verb)) throw notFound('Página não encontrada');
  if (!(await canFollow(c, protocol))) throw followRequired();
  const deps = c.var.deps;
  const action = verbs[verb as Verb];
  const body = await c.req.parseBody({ all: true });
  const { [IDEMPOTENCY_FORM_FIELD]: formKey, ...values } = textValues(body);
  const idempotencyKey = idempotencyKeyOf(c, formKey);
  const files = action === 'reply' ? filesOf(body) : [];
  const done = () =>
    isPartial(c)
      ? renderFollow(c, protocol, { done: action })
      : c.redirect(`/acompanhar/${protocol}?feito=${verb}`, 303);
  if (await earlierOutcome(deps, protocol, 'citizen', idempotencyKey)) return done();
  try {
    const view = await getCaseView(deps, protocol);
    const settings = await featureSettings(deps);
    assertCitizenActionAllowed(settings, view.status, action);
    if (!allowedCitizenActions(view.status).includes(action))
      throw new ApiError(409, 'transition_not_allowed', 'Ação não disponível nesta situação');
    const parsed = citizenActionSchemas[action].safeParse(values);
    const fields: FieldErrors = parsed.success ? {} : zodFieldErrors(parsed.error);
    const refused =
      filingRefusals(settings, { identity: '', byCitizen: true, files: files.length }).attachments ??
      (await checkUploads(deps, files));
    if (refused.length) fields.attachments = refused;
    if (!parsed.success || refused.length) throw new ApiError(422, 'invalid_body', 'Dados inválidos', fields);
    const attachmentIds = await storeCheckedUploads(deps, files, {
      protocol,
      source: 'citizen',
      uploadedBy: null,
    });
    const input = attachmentIds.length ? { ...parsed.data, attachmentIds } : parsed.data;
    await runAction(deps, protocol, action, input as never, 'citizen', { idempotencyKey });
  } catch (err) {
    const e = toApiError(err);
    if (e.status !== 409 && e.status !== 422) throw err;
    const failure = { action, code: e.code, message: e.message, fields: e.fields ?? {}, values };
    return renderFollow(c, protocol, { failure, status: e.status });
  }
  return done();
});

/** Downloads for the citizen (the REST route wants the access code in a header; the portal has a cookie). */
citizenPages.get('/acompanhar/:protocol/anexos/:id', limit('portal-attachment', 120), async (c) => {
  const protocol = c.req.param('protocol');
  if (!(await canFollow(c, protocol)))
    return c.redirect(`/acompanhar?protocolo=${encodeURIComponent(protocol)}`, 303);
  const deps = c.var.deps;
  const file = await getAttachment(deps.db, c.req.param('id'));
  if (!file || file.protocol !== protocol) throw notFound('Anexo não encontrado');
  if (!citizenVisibleIds(await getCaseView(deps, protocol)).has(file.id))
    throw notFound('Anexo não encontrado');
  return sendAttachment(c, file);
});
