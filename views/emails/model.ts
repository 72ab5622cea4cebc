// The plain view model every e-mail template receives (built by activities/email/compose.ts).
import type { Language } from '../i18n.ts';

export const emailTemplates = [
  'receipt',
  'status',
  'info_request',
  'answer',
  'deadline_extended',
  'closed',
  'attachment_refused',
  'staff_new_case',
  'staff_forwarded',
  'staff_sla_warning',
  'staff_escalated',
  'staff_update',
] as const;
export type EmailTemplate = (typeof emailTemplates)[number];

export type EmailModel = {
  lang: Language;
  timeZone: string;
  protocol: string;
  caseSubject: string;
  kind: string;
  status: string;
  /** the administered display name of the status in `lang` (Administração → Listas); absent = built-in */
  statusName?: string | undefined;
  channel: string;
  identity: string;
  eventType: string;
  dueAt: string | null;
  recipientName: string | null;
  /** null when the recipient may not know who the reporter is (anonymous, or preserved for units) */
  reporter: { name: string; email: string | null } | null;
  /** description excerpt (staff) */
  description: string | null;
  /** question, answer, justification, reason, instructions or message text of the event */
  text: string | null;
  /** another relevant date (complementation deadline, unit deadline, new due date) */
  date: string | null;
  /** unit names (forwarded) */
  units: string[];
  links: { follow: string; staffCase: string; accept: string; reject: string; rate: string };
  /** the citizen's access code, in the receipt only */
  accessCode: string | null;
};
