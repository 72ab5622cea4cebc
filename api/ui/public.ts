// Public pages: home, "Registrar manifestação" (form with attachments → receipt) and "Acompanhar
// manifestação" (protocol + access code → a signed cookie → the citizen portal in citizen.ts).
import { type Context, Hono } from 'hono';
import { ZodError } from 'zod';
import type { Settings } from '../../config/settings.ts';
import { setAttachmentsProtocol } from '../../db/queries/attachments.ts';
import { checkClassification } from '../../db/queries/catalogue.ts';
import { accountRecord } from '../account/data.ts';
import { zodFieldErrors } from '../errors.ts';
import { featureSettings, filingRefusals } from '../features.ts';
import { idempotencyKeyOf } from '../idempotency.ts';
import { type Filed, filedBefore, fileManifestation } from '../manifestations/filing.ts';
import { newManifestationSchema } from '../manifestations/schemas.ts';
import { checkAccessCode } from '../manifestations/service.ts';
import { formatCpf } from '../people/documents.ts';
import { citizenParty } from '../people/linking.ts';
import { limit } from '../rate-limit.ts';
import type { AppEnv } from '../types.ts';
import { formCatalogue } from './catalogue-choices.ts';
import { citizenPages } from './citizen.ts';
import { grantFollowAccess, isStaffSession } from './follow-access.ts';
import {
  formOptions,
  type ManifestationFormValues,
  manifestationCandidate,
  readManifestationForm,
} from './manifestation-form.ts';
import { isPartial, render } from './render.ts';
import { checkUploads, storeCheckedUploads, uploadLimits } from './uploads.ts';

export const publicPages = new Hono<AppEnv>();

publicPages.get('/', (c) => render(c, 'home', { title: '' }));

const fileForm = async (
  c: Context<AppEnv>,
  settings: Settings,
  values: Partial<ManifestationFormValues>,
  errors: Record<string, string[]>,
  filesDropped = false,
) => ({
  catalogue: await formCatalogue(c),
  title: 'file.title',
  fragment: isPartial(c),
  mode: 'public',
  action: '/registrar',
  ...formOptions,
  // Regras gerais: no anonymous choice, no file field when those are switched off
  identities: formOptions.identities.filter((i) => i !== 'anonymous' || settings['features.anonymousFiling']),
  uploads: settings['features.publicAttachments'] ? uploadLimits(c.var.deps) : null,
  values,
  errors,
  filesDropped,
});

publicPages.get('/registrar', async (c) =>
  render(
    c,
    'file',
    await fileForm(
      c,
      await featureSettings(c.var.deps),
      { identity: 'identified', ...(await accountDefaults(c)) },
      {},
    ),
  ),
);

/** A signed-in citizen's form starts with their data filled in (issue 11). */
async function accountDefaults(c: Context<AppEnv>): Promise<Partial<ManifestationFormValues>> {
  const user = c.var.user;
  if (user?.role !== 'citizen') return {};
  const { person } = await accountRecord(c.var.deps.db, user.email);
  return {
    name: person?.name ?? user.name,
    email: user.email,
    phone: person?.phone ?? '',
    cpf: person?.cpf ? formatCpf(person.cpf) : '',
  };
}

publicPages.post('/registrar', limit('file-form', 30), async (c) => {
  const deps = c.var.deps;
  const form = await c.req.parseBody({ all: true });
  const idempotencyKey = idempotencyKeyOf(c, form.idempotencyKey);
  const earlier = await filedBefore(deps, 'citizen', idempotencyKey);
  if (earlier) return receipt(c, earlier, earlier.view.attachmentIds.length);
  const { values, files } = readManifestationForm(form);
  let errors: Record<string, string[]> = {};
  let input: ReturnType<typeof newManifestationSchema.parse> | undefined;
  try {
    input = newManifestationSchema.parse(manifestationCandidate(values, { channel: 'web' }));
  } catch (err) {
    if (!(err instanceof ZodError)) throw err;
    errors = zodFieldErrors(err);
  }
  if (input) Object.assign(errors, await checkClassification(deps.db, input, { activeOnly: true }));
  const settings = await featureSettings(deps);
  const refusals = filingRefusals(settings, {
    identity: values.identity,
    byCitizen: true,
    files: files.length,
  });
  const refused = refusals.attachments ?? (await checkUploads(deps, files));
  if (refused.length) errors.attachments = refused;
  if (refusals.identity) errors.identity = refusals.identity;
  if (!input || Object.keys(errors).length) {
    // The browser does not keep chosen files across a re-render: say so when some were sent.
    return render(c, 'file', await fileForm(c, settings, values, errors, files.length > 0), 422);
  }
  const attachmentIds = await storeCheckedUploads(deps, files, {
    protocol: null,
    source: 'citizen',
    uploadedBy: null,
  });
  const filed = await fileManifestation(deps, input, 'citizen', {
    attachmentIds,
    idempotencyKey,
    party: citizenParty(c.var.user, input.citizen),
  });
  await setAttachmentsProtocol(deps.db, attachmentIds, filed.protocol);
  return receipt(c, filed, files.length);
});

function receipt(c: Context<AppEnv>, { protocol, accessCode, view }: Filed, files: number) {
  c.header('Cache-Control', 'no-store');
  return render(c, 'receipt', {
    title: 'receipt.title',
    protocol,
    accessCode,
    view,
    files,
    fragment: isPartial(c),
  });
}

publicPages.get('/acompanhar', (c) =>
  render(c, 'follow', {
    title: 'follow.title',
    values: { protocol: c.req.query('protocolo') ?? '' },
    error: null,
  }),
);

publicPages.post('/acompanhar', limit('follow', 20), async (c) => {
  const form = await c.req.parseBody();
  const protocol = String(form.protocol ?? '')
    .trim()
    .toUpperCase();
  if (isStaffSession(c))
    return render(
      c,
      'follow',
      { title: 'follow.title', values: { protocol }, error: 'citizen.staffSession' },
      403,
    );
  const code = String(form.accessCode ?? '');
  if (!(await checkAccessCode(c.var.deps, protocol, code))) {
    return render(c, 'follow', { title: 'follow.title', values: { protocol }, error: 'follow.invalid' }, 422);
  }
  await grantFollowAccess(c, protocol);
  return c.redirect(`/acompanhar/${protocol}`, 303);
});

publicPages.route('/', citizenPages);
