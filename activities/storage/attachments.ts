// Saving attachments: check the file (policy.ts), write the bytes to the store, record the row. Returns
// the id, or why the file was refused. Payloads in Temporal carry these ids, never bytes.
import { createHash, randomUUID } from 'node:crypto';
import type { Database } from '../../db/client.ts';
import { insertAttachment } from '../../db/queries/attachments.ts';
import { inspectFile } from './policy.ts';
import type { AttachmentStore } from './store.ts';

export type AttachmentLimits = { maxBytes: number; maxCount: number };

export type SavedAttachment =
  | { ok: true; id: string; filename: string; contentType: string; size: number }
  | { ok: false; filename: string; reason: string };

export async function saveAttachment(
  deps: { db: Database; store: AttachmentStore; limits: AttachmentLimits },
  input: {
    protocol: string | null;
    filename: string | null | undefined;
    bytes: Uint8Array;
    source: 'email' | 'citizen' | 'staff';
    inboundEmailId?: string | null;
    uploadedBy?: string | null;
  },
): Promise<SavedAttachment> {
  const check = await inspectFile(input.filename, input.bytes, deps.limits);
  if (!check.ok) return { ok: false, filename: input.filename ?? 'anexo', reason: check.reason };
  const id = randomUUID();
  await deps.store.put(id, input.bytes);
  await insertAttachment(deps.db, {
    id,
    protocol: input.protocol,
    filename: check.filename,
    contentType: check.contentType,
    size: input.bytes.byteLength,
    sha256: createHash('sha256').update(input.bytes).digest('hex'),
    source: input.source,
    inboundEmailId: input.inboundEmailId ?? null,
    uploadedBy: input.uploadedBy ?? null,
  });
  return {
    ok: true,
    id,
    filename: check.filename,
    contentType: check.contentType,
    size: input.bytes.byteLength,
  };
}

/** Saves up to `limits.maxCount` files; the rest are refused with a reason. */
export async function saveAttachments(
  deps: { db: Database; store: AttachmentStore; limits: AttachmentLimits },
  files: Array<{ filename: string | null | undefined; bytes: Uint8Array }>,
  common: Omit<Parameters<typeof saveAttachment>[1], 'filename' | 'bytes'>,
): Promise<SavedAttachment[]> {
  const results: SavedAttachment[] = [];
  for (const [i, f] of files.entries()) {
    if (i >= deps.limits.maxCount) {
      results.push({
        ok: false,
        filename: f.filename ?? 'anexo',
        reason: `limite de ${deps.limits.maxCount} anexos`,
      });
      continue;
    }
    results.push(await saveAttachment(deps, { ...common, filename: f.filename, bytes: f.bytes }));
  }
  return results;
}
