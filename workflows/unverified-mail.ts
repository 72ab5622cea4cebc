// Unverified inbound mail waiting for a staff decision, read from the timeline (deterministic; used by the
// workflow's validators and by the case page): an `email_received` entry marked `verification: 'unverified'`
// with no later `email_accepted` / `email_discarded` for the same e-mail.
import type { CaseView } from './messages.ts';

export type UnverifiedMail = {
  emailId: string;
  from: string;
  subject: string;
  text: string;
  attachmentIds: string[];
  receivedAt: string;
};

export function pendingUnverifiedMail(view: Pick<CaseView, 'timeline'>): UnverifiedMail[] {
  const decided = new Set(
    view.timeline
      .filter((e) => e.type === 'email_accepted' || e.type === 'email_discarded')
      .map((e) => String(e.data.emailId)),
  );
  return view.timeline
    .filter((e) => e.type === 'email_received' && e.data.verification === 'unverified')
    .filter((e) => !decided.has(String(e.data.emailId)))
    .map((e) => ({
      emailId: String(e.data.emailId),
      from: String(e.data.from ?? e.actor),
      subject: String(e.data.subject ?? ''),
      text: String(e.data.text ?? ''),
      attachmentIds: Array.isArray(e.data.attachmentIds) ? e.data.attachmentIds : [],
      receivedAt: String(e.data.receivedAt ?? e.at),
    }));
}
