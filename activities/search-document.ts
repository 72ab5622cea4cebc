// What the projection stores for search and for the list's "glance" columns, derived from a case view:
// the search documents, the priority rank, the units still owing an answer and the last news.
import { trigramText } from '../db/queries/search-text.ts';
import type { CaseView } from '../workflows/messages.ts';

/** Timeline events that are not news for the people following a case (mail copies, deadline alarms). */
const quietEvents = new Set(['email_sent', 'sla_warning', 'sla_breached', 'escalated']);

export const priorityRank: Record<string, number> = { urgent: 0, high: 1, normal: 2, low: 3 };

export function listColumns(view: CaseView, names: { assigneeName: string | null; unitNames: string[] }) {
  const searchDocument = [
    view.protocol,
    view.subject,
    view.description,
    view.topic,
    view.item,
    view.assignee,
    names.assigneeName,
    ...view.units,
    ...names.unitNames,
  ]
    .filter(Boolean)
    .join(' ');
  // The reporter is searchable apart from the rest, and never for anonymous cases (see the list query).
  const email = view.citizen?.email ?? '';
  const reporterDocument =
    view.identity === 'anonymous' || !view.citizen
      ? ''
      : [view.citizen.name, email, email.replace(/[@.]/g, ' ')].filter(Boolean).join(' ');
  const news = [...view.timeline].reverse().find((e) => !quietEvents.has(e.type));
  return {
    topic: view.topic ?? null,
    item: view.item ?? null,
    groupCode: view.group ?? null,
    priorityRank: priorityRank[view.priority] ?? 2,
    assigneeName: names.assigneeName,
    pendingUnits: (view.unitAssignments ?? []).filter((a) => a.status === 'pending').map((a) => a.unit),
    lastActivitySeq: news?.seq ?? 0,
    lastActivityBy: news?.actor ?? null,
    searchDocument,
    reporterDocument,
    searchText: trigramText(searchDocument),
  };
}
