// From a committed timeline event to the messages it causes: which template each audience gets and the
// plain view model the template renders. What a staff or unit recipient may read of the reporter is the
// disclosure policy's (api/disclosure.ts — the one module that decides it, pure, shared with the pages):
// units get a pseudonymised extract of a protected case, nobody is mailed a preserved identity (a reveal is
// an explicit, logged act on the case page), anonymous cases have no reporter at all.

import { redactorFor, type ViewerRole, visibleReporter } from '../../api/disclosure.ts';
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

/** Which viewer of the disclosure matrix a notification recipient is (assignee and group: ouvidoria staff). */
export function viewerOfRecipient(role: NotificationRecipient): ViewerRole {
  const map: Record<NotificationRecipient, ViewerRole> = {
    citizen: 'citizen',
    unit: 'unit',
    assignee: 'attendant',
    group: 'attendant',
    ombudsman: 'ombudsman',
  };
  return map[role];
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
  const viewer = viewerOfRecipient(recipient.role);
  const shown = viewer === 'citizen' ? null : visibleReporter(viewer, view);
  // Staff texts (subject, description, event text) lose what this recipient may not read of the reporter.
  const redact = viewer === 'citizen' ? (t: string) => t : redactorFor(viewer, view, { secret: opts.secret });
  const redacted = (t: string | null) => (t === null ? null : redact(t));
  return {
    lang: 'pt-BR',
    timeZone: opts.timezone,
    protocol: view.protocol,
    caseSubject: redact(view.subject),
    kind: view.kind,
    status: view.status,
    channel: view.channel,
    identity: view.identity,
    eventType: event.type,
    dueAt: view.dueAt,
    recipientName: recipient.role === 'citizen' ? (citizen?.name ?? null) : recipient.name,
    reporter: shown ? { name: shown.name, email: shown.email ?? null } : null,
    description: recipient.role === 'citizen' ? null : excerpt(redact(view.description)),
    text: excerpt(recipient.role === 'citizen' ? citizenText(event) : redacted(eventText(event)), 5000),
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
