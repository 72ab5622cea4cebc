// From a committed timeline event to the messages it causes: which template each audience gets and the
// plain view model the template renders. Identity rules live here: units never learn a preserved
// reporter's name or address, anonymous cases have no reporter at all.

import { deriveAccessCode } from '../../config/access-code.ts';
import type { NotificationRecipient } from '../../db/schema.ts';
import type { EmailModel, EmailTemplate } from '../../views/emails/index.ts';
import type { CaseView, TimelineEvent } from '../../workflows/messages.ts';
import { followLink } from './follow-link.ts';

export type Recipient = {
  email: string;
  role: NotificationRecipient;
  name: string | null;
  /** unit recipients: the unit's code and name */
  unit?: { code: string; name: string } | undefined;
};

const citizenTemplates: Partial<Record<string, EmailTemplate>> = {
  received: 'receipt',
  info_requested: 'info_request',
  answered: 'answer',
  deadline_extended: 'deadline_extended',
  closed: 'closed',
  attachment_refused: 'attachment_refused',
};

const staffTemplates: Partial<Record<string, EmailTemplate>> = {
  received: 'staff_new_case',
  forwarded: 'staff_forwarded',
  sla_warning: 'staff_sla_warning',
  escalated: 'staff_escalated',
  sla_breached: 'staff_escalated',
};

export function templateFor(eventType: string, role: NotificationRecipient): EmailTemplate {
  if (role === 'citizen') return citizenTemplates[eventType] ?? 'status';
  return staffTemplates[eventType] ?? 'staff_update';
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v : null);

function eventText(event: TimelineEvent): string | null {
  const d = event.data;
  return (
    str(d.question) ??
    str(d.text) ??
    str(d.justification) ??
    str(d.reason) ??
    str(d.instructions) ??
    str(d.message) ??
    null
  );
}

/** What the citizen may read of an event: only the public text of the events that carry one. */
function citizenText(event: TimelineEvent): string | null {
  const d = event.data;
  const field: Partial<Record<string, string>> = {
    info_requested: 'question',
    answered: 'text',
    deadline_extended: 'justification',
    closed: 'reason',
    archived: 'justification',
    attachment_refused: 'text',
  };
  const key = field[event.type];
  return key ? str(d[key]) : null;
}

function eventDate(view: CaseView, event: TimelineEvent, recipient: Recipient): string | null {
  const d = event.data;
  switch (event.type) {
    case 'info_requested':
      return str(d.deadline) ?? str(d.dueAt) ?? view.complementationDeadline?.dueAt ?? null;
    case 'deadline_extended':
      return str(d.dueAt) ?? view.dueAt;
    case 'forwarded': {
      const code = recipient.unit?.code;
      const assignment = code ? view.unitAssignments?.find((u) => u.unit === code) : undefined;
      return assignment?.deadline?.dueAt ?? null;
    }
    default:
      return event.at;
  }
}

export function excerpt(text: string | null | undefined, max = 1500): string | null {
  if (!text) return null;
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function buildModel(
  view: CaseView,
  event: TimelineEvent,
  recipient: Recipient,
  opts: { publicUrl: string; timezone: string; unitNames: string[]; secret: string; now: Date },
): EmailModel {
  // The citizen gets a signed link that opens the case page without the access code (a case opened by
  // e-mail never showed one); anyone else the plain follow form.
  const follow =
    recipient.role === 'citizen'
      ? followLink(opts.publicUrl, opts.secret, view.protocol, recipient.email, opts.now)
      : `${opts.publicUrl}/acompanhar?protocolo=${encodeURIComponent(view.protocol)}`;
  const sep = follow.includes('?') ? '&' : '?';
  const citizen = view.identity === 'anonymous' ? null : view.citizen;
  const mayKnowReporter =
    recipient.role !== 'citizen' &&
    citizen !== null &&
    (view.identity === 'identified' || (view.identity === 'preserved' && recipient.role !== 'unit'));
  return {
    lang: 'pt-BR',
    timeZone: opts.timezone,
    protocol: view.protocol,
    caseSubject: view.subject,
    kind: view.kind,
    status: view.status,
    channel: view.channel,
    identity: view.identity,
    eventType: event.type,
    dueAt: view.dueAt,
    recipientName: recipient.role === 'citizen' ? (citizen?.name ?? null) : recipient.name,
    reporter: mayKnowReporter && citizen ? { name: citizen.name, email: citizen.email ?? null } : null,
    description: recipient.role === 'citizen' ? null : excerpt(view.description),
    text: excerpt(recipient.role === 'citizen' ? citizenText(event) : eventText(event), 5000),
    date: eventDate(view, event, recipient),
    units: opts.unitNames,
    links: {
      follow,
      staffCase: `${opts.publicUrl}/painel/casos/${encodeURIComponent(view.protocol)}`,
      accept: `${follow}${sep}acao=aceitar`,
      reject: `${follow}${sep}acao=recusar`,
      rate: `${follow}${sep}acao=avaliar`,
    },
    accessCode:
      recipient.role === 'citizen' && event.type === 'received'
        ? deriveAccessCode(opts.secret, view.protocol)
        : null,
  };
}
