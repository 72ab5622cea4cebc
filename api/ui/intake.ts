// "Registrar atendimento" (/painel/registrar): the office records a manifestation that arrived by phone,
// letter, in person or e-mail, with the moment it actually arrived (local time in the organisation's
// timezone; the deadline counts from it), then reads the protocol and access code to the citizen.
import { type Context, Hono } from 'hono';
import { ZodError } from 'zod';
import { setAttachmentsProtocol } from '../../db/queries/attachments.ts';
import { checkClassification } from '../../db/queries/catalogue.ts';
import type { Role } from '../../db/schema.ts';
import { requireRole } from '../auth/session.ts';
import { zodFieldErrors } from '../errors.ts';
import { idempotencyKeyOf } from '../idempotency.ts';
import { type Filed, filedBefore, fileManifestation } from '../manifestations/filing.ts';
import { type NewManifestation, newManifestationSchema } from '../manifestations/schemas.ts';
import { intakeLookup } from '../people/intake-lookup.ts';
import type { AppEnv } from '../types.ts';
import { formCatalogue } from './catalogue-choices.ts';
import { isoToLocal, localToIso } from './local-time.ts';
import {
  formOptions,
  type ManifestationFormValues,
  manifestationCandidate,
  readManifestationForm,
} from './manifestation-form.ts';
import { isPartial, render } from './render.ts';
import { checkUploads, storeCheckedUploads, uploadLimits } from './uploads.ts';

export const intakePages = new Hono<AppEnv>();

export const intakeRoles: Role[] = ['admin', 'ombudsman', 'attendant'];
export const intakeChannels = ['phone', 'in_person', 'letter', 'email'] as const;

/** A little slack for clocks: "now" typed on a slow machine is not "in the future". */
const futureSlackMs = 5 * 60_000;

async function intakeForm(
  c: Context<AppEnv>,
  values: Partial<ManifestationFormValues>,
  errors: Record<string, string[]>,
  filesDropped = false,
) {
  return {
    catalogue: await formCatalogue(c),
    title: 'intake.title',
    fragment: isPartial(c),
    mode: 'intake',
    action: '/painel/registrar',
    ...formOptions,
    channels: intakeChannels,
    timezone: c.var.deps.timezone,
    maxReceivedAt: isoToLocal(new Date(), c.var.deps.timezone),
    uploads: uploadLimits(c.var.deps),
    values,
    errors,
    filesDropped,
    lookup: (await intakeLookup(c.var.deps.db, '', values.personId ?? '')).lookup,
  };
}

intakePages.get('/painel/registrar', async (c) => {
  if (!c.var.user) return c.redirect('/entrar', 303);
  requireRole(c, intakeRoles);
  const now = isoToLocal(new Date(), c.var.deps.timezone);
  // issue 11: find the person first (?pessoa=…), then file for the one chosen (?personId=…)
  const q = (c.req.query('pessoa') ?? '').trim().slice(0, 200);
  const { lookup, prefill } = await intakeLookup(c.var.deps.db, q, c.req.query('personId') ?? '');
  const form = await intakeForm(
    c,
    { identity: 'identified', channel: 'phone', receivedAt: now, ...prefill },
    {},
  );
  return render(c, 'file', { ...form, lookup });
});

intakePages.post('/painel/registrar', async (c) => {
  const user = requireRole(c, intakeRoles);
  const deps = c.var.deps;
  const form = await c.req.parseBody({ all: true });
  const idempotencyKey = idempotencyKeyOf(c, form.idempotencyKey);
  const earlier = await filedBefore(deps, user.email, idempotencyKey);
  if (earlier) return intakeReceipt(c, earlier);
  const { values, files } = readManifestationForm(form);
  const errors: Record<string, string[]> = {};
  if (!(intakeChannels as readonly string[]).includes(values.channel))
    errors.channel = ['Escolha por onde a manifestação chegou'];
  const receivedAt = values.receivedAt ? localToIso(values.receivedAt, deps.timezone) : null;
  if (!receivedAt) errors.receivedAt = ['Informe a data e a hora em que a manifestação chegou'];
  else if (Date.parse(receivedAt) > Date.now() + futureSlackMs)
    errors.receivedAt = ['A data de recebimento não pode estar no futuro'];
  let input: NewManifestation | undefined;
  try {
    input = newManifestationSchema.parse(
      manifestationCandidate(values, {
        channel: errors.channel ? 'phone' : values.channel,
        receivedAt: receivedAt ?? undefined,
      }),
    );
  } catch (err) {
    if (!(err instanceof ZodError)) throw err;
    Object.assign(errors, zodFieldErrors(err));
  }
  if (input) Object.assign(errors, await checkClassification(deps.db, input, { activeOnly: true }));
  const refused = await checkUploads(deps, files);
  if (refused.length) errors.attachments = refused;
  if (!input || Object.keys(errors).length) {
    return render(c, 'file', await intakeForm(c, values, errors, files.length > 0), 422);
  }
  const attachmentIds = await storeCheckedUploads(deps, files, {
    protocol: null,
    source: 'staff',
    uploadedBy: user.email,
  });
  const filed = await fileManifestation(deps, input, user.email, {
    attachmentIds,
    idempotencyKey,
    party: { personId: values.personId || undefined },
  });
  await setAttachmentsProtocol(deps.db, attachmentIds, filed.protocol);
  return intakeReceipt(c, filed);
});

function intakeReceipt(c: Context<AppEnv>, { protocol, accessCode, view }: Filed) {
  c.header('Cache-Control', 'no-store');
  return render(c, 'intake-receipt', {
    title: 'intake.done',
    protocol,
    accessCode,
    view,
    fragment: isPartial(c),
  });
}
