// GET /api/v1/attachments/{id}: only for staff who may see the case, or the citizen with the case's access
// code (X-Access-Code) for files that are theirs or shown to them; always as a download, never rendered.
import { type Context, Hono } from 'hono';
import { getAttachment } from '../../db/queries/attachments.ts';
import { getInbound } from '../../db/queries/email.ts';
import { isStaff } from '../auth/session.ts';
import { canStaffSee } from '../disclosure.ts';
import { ApiError, notFound } from '../errors.ts';
import { emailContext } from '../inbound/context.ts';
import { checkAccessCode, getCaseView } from '../manifestations/service.ts';
import { limit } from '../rate-limit.ts';
import type { AppEnv } from '../types.ts';

export const attachmentRoutes = new Hono<AppEnv>();

const missing = () => notFound('Anexo não encontrado');

export function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

attachmentRoutes.get('/:id', limit('attachment', 120), async (c) => {
  const deps = c.var.deps;
  const file = await getAttachment(deps.db, c.req.param('id'));
  if (!file?.protocol) throw missing();
  const user = c.var.user;
  if (isStaff(user)) {
    const view = await getCaseView(deps, file.protocol);
    if (!canStaffSee(user, view)) throw missing();
  } else {
    const code = c.req.header('x-access-code');
    if (!code) throw new ApiError(401, 'unauthorized', 'Informe o código de acesso (X-Access-Code) ou entre');
    if (!(await checkAccessCode(deps, file.protocol, code))) throw missing();
    const view = await getCaseView(deps, file.protocol);
    const shown =
      view.attachmentIds?.includes(file.id) ||
      view.timeline.some(
        (e) =>
          e.visibility === 'public' &&
          Array.isArray(e.data.attachmentIds) &&
          e.data.attachmentIds.includes(file.id),
      );
    const fromCitizen =
      file.source === 'citizen' ||
      (file.source === 'email' &&
        !!file.inboundEmailId &&
        (await getInbound(deps.db, file.inboundEmailId))?.fromRole === 'citizen');
    if (!shown && !fromCitizen) throw missing();
  }
  return sendAttachment(c, file);
});

/** A stored file as a download only: attachment disposition, no sniffing, sandboxed, never cached. */
export async function sendAttachment(
  c: Context<AppEnv>,
  file: { id: string; contentType: string; filename: string },
): Promise<Response> {
  const bytes = await emailContext(c.var.deps).store.get(file.id);
  return c.body(new Uint8Array(bytes), 200, {
    'Content-Type': file.contentType,
    'Content-Length': String(bytes.byteLength),
    'Content-Disposition': contentDisposition(file.filename),
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'private, no-store',
    'Content-Security-Policy': "default-src 'none'; sandbox",
  });
}
