// Attachment ids in action bodies (answer, note, unit response, citizen reply) must name files of the same
// case: a client must not attach another case's file (its citizen could then download it from this one).
import type { Database } from '../../db/client.ts';
import { attachmentsNotOf } from '../../db/queries/attachments.ts';
import { ApiError } from '../errors.ts';

/** Throws 422 (field `attachmentIds`) unless every id is an attachment already linked to `protocol`. */
export async function assertAttachmentsBelongTo(
  db: Database,
  protocol: string,
  ids: readonly string[] | null | undefined,
): Promise<void> {
  if (!ids || ids.length === 0) return;
  const foreign = await attachmentsNotOf(db, protocol, [...ids]);
  if (foreign.length === 0) return;
  throw new ApiError(422, 'invalid_body', 'Dados inválidos', {
    attachmentIds: [`Anexo(s) não pertencem a esta manifestação: ${foreign.join(', ')}`],
  });
}
