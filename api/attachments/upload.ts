// Upload handling for the web form, citizen replies and staff notes/answers: the files of a multipart
// body (File objects from c.req.parseBody / formData) checked and stored; the ids go into the payloads.
import { type SavedAttachment, saveAttachments } from '../../activities/storage/attachments.ts';
import { emailContext } from '../inbound/context.ts';
import type { AppDeps } from '../types.ts';

export async function storeUploadedFiles(
  deps: AppDeps,
  files: File[],
  opts: { protocol: string | null; source: 'citizen' | 'staff'; uploadedBy: string | null },
): Promise<SavedAttachment[]> {
  const ctx = emailContext(deps);
  const items: Array<{ filename: string; bytes: Uint8Array; tooLarge: boolean }> = [];
  for (const f of files) {
    if (f.size > ctx.mail.attachments.maxBytes) {
      items.push({ filename: f.name, bytes: new Uint8Array(0), tooLarge: true });
      continue;
    }
    items.push({ filename: f.name, bytes: new Uint8Array(await f.arrayBuffer()), tooLarge: false });
  }
  const saved = await saveAttachments(
    { db: deps.db, store: ctx.store, limits: ctx.mail.attachments },
    items.map((i) => ({ filename: i.filename, bytes: i.tooLarge ? new Uint8Array(0) : i.bytes })),
    { protocol: opts.protocol, source: opts.source, uploadedBy: opts.uploadedBy },
  );
  return saved.map((s, i) =>
    items[i]?.tooLarge
      ? { ok: false, filename: items[i]!.filename, reason: 'arquivo maior que o limite' }
      : s,
  );
}

/** Files of a parsed multipart body under `field` (one or many). */
export function filesOf(body: Record<string, unknown>, field = 'attachments'): File[] {
  const value = body[field] ?? body[`${field}[]`];
  const list = Array.isArray(value) ? value : value ? [value] : [];
  // A part with no name and no bytes is an <input type=file> left empty; a named empty file is kept so
  // the check refuses it with a message ("arquivo vazio") instead of dropping it silently.
  return list.filter((v): v is File => v instanceof File && (v.size > 0 || v.name !== ''));
}
