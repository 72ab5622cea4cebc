// The attachments a page lists for a case, as download links: staff see every file of the case
// (GET /api/v1/attachments/:id, session cookie); the citizen sees the files filed with the case or
// attached to a public event (answer, public note, their own replies), through the portal route.
import { listAttachmentsForCase } from '../../db/queries/attachments.ts';
import type { TimelineEvent } from '../../workflows/messages.ts';
import { previewable } from '../attachments/routes.ts';
import type { AppDeps } from '../types.ts';

export type FileLink = {
  id: string;
  filename: string;
  size: number;
  /** "12 KB", in the page's language */
  sizeText: string;
  contentType: string;
  source: string;
  createdAt: string;
  href: string;
  /** a JPEG preview (staff, HEIC/HEIF photos): GET /api/v1/attachments/:id/preview */
  previewHref?: string;
};

export function eventAttachmentIds(e: Pick<TimelineEvent, 'data'>): string[] {
  const ids = e.data.attachmentIds;
  return Array.isArray(ids) ? ids.filter((x): x is string => typeof x === 'string') : [];
}

/** Ids the citizen may download: filed with the case, or on an event the citizen can see. */
export function citizenVisibleIds(view: {
  attachmentIds?: string[];
  timeline: Array<Pick<TimelineEvent, 'data' | 'visibility'>>;
}): Set<string> {
  const ids = new Set(view.attachmentIds ?? []);
  for (const e of view.timeline)
    if (e.visibility === 'public') for (const id of eventAttachmentIds(e)) ids.add(id);
  return ids;
}

export async function caseFiles(
  deps: AppDeps,
  protocol: string,
  audience: { kind: 'staff' } | { kind: 'citizen'; visible: Set<string> },
  lang: string,
): Promise<FileLink[]> {
  const rows = await listAttachmentsForCase(deps.db, protocol);
  return rows
    .filter((r) => audience.kind === 'staff' || audience.visible.has(r.id))
    .map((r) => ({
      id: r.id,
      filename: r.filename,
      size: r.size,
      sizeText: sizeLabel(r.size, lang),
      contentType: r.contentType,
      source: r.source,
      createdAt: r.createdAt.toISOString(),
      href:
        audience.kind === 'staff' ? `/api/v1/attachments/${r.id}` : `/acompanhar/${protocol}/anexos/${r.id}`,
      ...(audience.kind === 'staff' && previewable(r.contentType)
        ? { previewHref: `/api/v1/attachments/${r.id}/preview` }
        : {}),
    }));
}

/** "12 KB", "1,4 MB" */
export function sizeLabel(bytes: number, lang: string): string {
  if (bytes < 1024) return `${bytes} B`;
  const kb = bytes / 1024;
  if (kb < 1024) return `${Math.ceil(kb)} KB`;
  return `${new Intl.NumberFormat(lang, { maximumFractionDigits: 1 }).format(kb / 1024)} MB`;
}
