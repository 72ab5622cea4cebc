// REST: /api/v1/manifestations — file (public), read (staff or access code), list (staff), actions (staff).
import { Hono } from 'hono';
import { listManifestations } from '../../db/queries/manifestations.ts';
import { assertAttachmentsBelongTo } from '../attachments/ownership.ts';
import { isStaff, requireRole } from '../auth/session.ts';
import { presentListRow, staffViewer } from '../disclosure.ts';
import { ApiError, notFound } from '../errors.ts';
import { assertCitizenActionAllowed, assertFilingAllowed, featureSettings } from '../features.ts';
import { idempotencyKeyOf } from '../idempotency.ts';
import { readJson } from '../json.ts';
import { citizenParty, withRecordContact } from '../people/linking.ts';
import { limit } from '../rate-limit.ts';
import type { AppEnv } from '../types.ts';
import { staffSessionRefused } from '../ui/follow-access.ts';
import { authorizeAction } from './authorize.ts';
import { fileForReceipt } from './filing.ts';
import { listItemJson, listOrThrow } from './list-json.ts';
import { presentForCitizen, presentForStaff, readStaffEmails } from './present.ts';
import { actionSchemas, citizenActionSchemas, newManifestationSchema } from './schemas.ts';
import { checkAccessCode, earlierOutcome, getCaseView, runAction } from './service.ts';

export const manifestationRoutes = new Hono<AppEnv>();

manifestationRoutes.post('/', limit('file', 30), async (c) => {
  const idempotencyKey = idempotencyKeyOf(c);
  const user = c.var.user;
  const staff = isStaff(user) && user.role !== 'unit';
  const raw = await readJson(c.req.raw);
  const body = newManifestationSchema.parse(staff ? await withRecordContact(c.var.deps.db, raw) : raw);
  if (body.personId && !staff) {
    throw new ApiError(422, 'invalid_body', 'Dados inválidos', {
      personId: ['Somente a equipe da ouvidoria registra em nome de uma pessoa cadastrada'],
    });
  }
  if (body.receivedAt && !staff) {
    throw new ApiError(422, 'invalid_body', 'Dados inválidos', {
      receivedAt: ['Somente a equipe da ouvidoria informa a data de recebimento'],
    });
  }
  if (body.channel && !staff) body.channel = 'api';
  if (!staff)
    assertFilingAllowed(await featureSettings(c.var.deps), { identity: body.identity, byCitizen: true });
  const { protocol, accessCode, receipt } = await fileForReceipt(
    c.var.deps,
    body,
    staff && user ? user.email : 'citizen',
    { idempotencyKey, party: staff ? { personId: body.personId } : citizenParty(user, body.citizen) },
  );
  return c.json({ protocol, accessCode, ...receipt }, 201, {
    Location: `/api/v1/manifestations/${protocol}`,
  });
});

manifestationRoutes.get('/', async (c) => {
  const user = requireRole(c);
  const list = await listOrThrow(c.req.query(), user, c.var.deps);
  const { items, nextCursor } = await listManifestations(
    c.var.deps.db,
    list.filter,
    list.viewer,
    list.window,
  );
  const viewer = staffViewer(user)!;
  const secret = c.var.deps.secret;
  return c.json({ items: items.map((m) => listItemJson(presentListRow(viewer, m, { secret }))), nextCursor });
});

manifestationRoutes.get('/:protocol', limit('read', 120), async (c) => {
  const protocol = c.req.param('protocol');
  const user = c.var.user;
  if (isStaff(user)) {
    const staffEmails = readStaffEmails(c.var.deps); // read while the Query waits
    const view = await getCaseView(c.var.deps, protocol);
    return c.json(await presentForStaff(c.var.deps, view, user, false, staffEmails));
  }
  const code = c.req.header('x-access-code');
  if (!code) throw new ApiError(401, 'unauthorized', 'Informe o código de acesso (X-Access-Code) ou entre');
  if (!(await checkAccessCode(c.var.deps, protocol, code))) throw notFound();
  const view = await getCaseView(c.var.deps, protocol);
  return c.json(presentForCitizen(view));
});

manifestationRoutes.post('/:protocol/actions/:action', async (c) => {
  const user = requireRole(c);
  const action = c.req.param('action');
  if (!Object.hasOwn(actionSchemas, action))
    throw new ApiError(404, 'not_found', `Ação desconhecida: ${action}`);
  const key = action as keyof typeof actionSchemas;
  const protocol = c.req.param('protocol');
  const idempotencyKey = idempotencyKeyOf(c);
  const body = actionSchemas[key].parse(await readJson(c.req.raw)) as { unit?: string; visibility?: string };
  const earlier = await earlierOutcome(c.var.deps, protocol, user.email, idempotencyKey);
  if (earlier) return c.json(await presentForStaff(c.var.deps, earlier, user));
  authorizeAction(user, key, body, await getCaseView(c.var.deps, protocol));
  await assertAttachmentsBelongTo(
    c.var.deps.db,
    protocol,
    (body as { attachmentIds?: string[] }).attachmentIds,
  );
  const view = await runAction(c.var.deps, protocol, key, body as never, user.email, { idempotencyKey });
  return c.json(await presentForStaff(c.var.deps, view, user));
});

manifestationRoutes.post('/:protocol/citizen/:action', limit('citizen-action', 30), async (c) => {
  const action = c.req.param('action');
  if (!Object.hasOwn(citizenActionSchemas, action))
    throw new ApiError(404, 'not_found', `Ação desconhecida: ${action}`);
  const protocol = c.req.param('protocol');
  if (isStaff(c.var.user)) throw staffSessionRefused();
  const code = c.req.header('x-access-code');
  if (!code) throw new ApiError(401, 'unauthorized', 'Informe o código de acesso (X-Access-Code)');
  if (!(await checkAccessCode(c.var.deps, protocol, code))) throw notFound();
  const key = action as keyof typeof citizenActionSchemas;
  const idempotencyKey = idempotencyKeyOf(c);
  const body = citizenActionSchemas[key].parse(await readJson(c.req.raw));
  const earlier = await earlierOutcome(c.var.deps, protocol, 'citizen', idempotencyKey);
  if (earlier) return c.json(presentForCitizen(earlier));
  if (key === 'rate') {
    const { status } = await getCaseView(c.var.deps, protocol);
    assertCitizenActionAllowed(await featureSettings(c.var.deps), status, key);
  }
  await assertAttachmentsBelongTo(
    c.var.deps.db,
    protocol,
    (body as { attachmentIds?: string[] }).attachmentIds,
  );
  const view = await runAction(c.var.deps, protocol, key, body as never, 'citizen', { idempotencyKey });
  return c.json(presentForCitizen(view));
});
