// GET /api/v1/attachments/{id}: only for staff who may see the case, or the citizen with the case's access
// code (X-Access-Code) for files that are theirs or shown to them; always as a download, never rendered.
// GET /api/v1/attachments/{id}/preview: for a HEIC/HEIF photo, a JPEG copy made in the worker pool (the
// original is kept as it came), cached beside it in the store; the same access rules.
import { createHash } from 'node:crypto';
import { type Context, Hono } from 'hono';
import { type AttachmentRow, getAttachment, listAttachmentsForCase } from '../../db/queries/attachments.ts';
import { getInbound } from '../../db/queries/email.ts';
import { isStaff } from '../auth/session.ts';
import { attachmentName, canStaffSee, staffViewer } from '../disclosure.ts';
import { ApiError, notFound } from '../errors.ts';
import { emailContext } from '../inbound/context.ts';
import { heicPreviewInPool, ParseBudgetExceeded } from '../inbound/parse.ts';
import { checkAccessCode, getCaseView } from '../manifestations/service.ts';
import { limit } from '../rate-limit.ts';
import type { AppDeps, AppEnv } from '../types.ts';

export const attachmentRoutes = new Hono<AppEnv>();

const missing = () => notFound('Anexo não encontrado');

export function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

/**
 * The attachment `id` if the caller may read it (staff who may see the case, or its citizen); else 401/404.
 * `filename` is the name this caller may see (api/disclosure.ts attachmentName).
 */
async function readableAttachment(c: Context<AppEnv>, id: string): Promise<AttachmentRow> {
  const deps = c.var.deps;
  const file = await getAttachment(deps.db, id);
  if (!file?.protocol) throw missing();
  const user = c.var.user;
  if (isStaff(user)) {
    const view = await getCaseView(deps, file.protocol);
    if (!canStaffSee(user, view)) throw missing();
    // The download's name follows the disclosure rules like the case page ("RG Maria Souza.pdf" names the
    // reporter of a preserved case): "anexo-<n>.<ext>", numbered as on the page, unless this viewer sees them.
    const files = await listAttachmentsForCase(deps.db, file.protocol);
    const index = Math.max(
      0,
      files.findIndex((f) => f.id === file.id),
    );
    return { ...file, filename: attachmentName(staffViewer(user)!, view, file, index) };
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
  return file;
}

attachmentRoutes.get('/:id', limit('attachment', 120), async (c) =>
  sendAttachment(c, await readableAttachment(c, c.req.param('id'))),
);

/** Content types that get a JPEG preview. */
export const previewable = (contentType: string) => /^image\/hei[cf]$/i.test(contentType);

/** Where a file's preview is cached in the attachment store: an id derived from the file's. */
const previewId = (id: string) => {
  const h = createHash('sha256').update(`preview:${id}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
};

attachmentRoutes.get('/:id/preview', limit('attachment', 120), async (c) => {
  const file = await readableAttachment(c, c.req.param('id'));
  if (!previewable(file.contentType)) throw notFound('Este arquivo não tem prévia');
  const jpeg = await heicPreview(c.var.deps, file.id);
  return c.body(new Uint8Array(jpeg), 200, {
    'Content-Type': 'image/jpeg',
    'Content-Length': String(jpeg.byteLength),
    'Content-Disposition': contentDisposition(`${file.filename.replace(/\.[^.]*$/, '')}-previa.jpg`).replace(
      /^attachment/,
      'inline',
    ),
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'private, no-store',
    'Content-Security-Policy': "default-src 'none'; sandbox",
  });
});

/** The JPEG preview of a stored HEIC/HEIF file: from the store, or made in the worker pool and stored. */
export async function heicPreview(deps: AppDeps, id: string): Promise<Buffer> {
  const store = emailContext(deps).store;
  const cached = await store.get(previewId(id)).catch(() => null);
  if (cached) return cached;
  let jpeg: Buffer;
  try {
    jpeg = await heicPreviewInPool(await store.get(id));
  } catch (err) {
    if (err instanceof ParseBudgetExceeded) throw new ApiError(422, 'preview_failed', err.message);
    throw new ApiError(422, 'preview_failed', 'Não foi possível gerar a prévia desta foto; baixe o original');
  }
  await store.put(previewId(id), jpeg);
  return jpeg;
}

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
