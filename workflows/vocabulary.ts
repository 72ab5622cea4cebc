// Stable API codes of DESIGN §2 (kinds, identity modes, channels, statuses, priorities, SLA states).
export const kinds = ['complaint', 'report', 'praise', 'suggestion', 'request', 'information'] as const;
export type Kind = (typeof kinds)[number];

export const identities = ['identified', 'preserved', 'anonymous'] as const;
export type Identity = (typeof identities)[number];

export const channels = ['web', 'email', 'phone', 'in_person', 'letter', 'api'] as const;
export type Channel = (typeof channels)[number];

export const statuses = [
  'received',
  'in_progress',
  'forwarded',
  'awaiting_citizen',
  'answered',
  'closed',
  'approved',
  'archived',
] as const;
export type Status = (typeof statuses)[number];

export const priorities = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof priorities)[number];

export const slaStates = ['ok', 'warning', 'breached', 'paused'] as const;
export type SlaState = (typeof slaStates)[number];

export const timelineEventTypes = [
  'received',
  'assigned',
  'auxiliary_added',
  'forwarded',
  'unit_responded',
  'info_requested',
  'citizen_replied',
  'note_added',
  'work_logged',
  'priority_changed',
  'reclassified',
  'deadline_extended',
  'answered',
  'accepted',
  'rejected',
  'rated',
  'closed',
  'reopened',
  'archived',
  'email_sent',
  'email_received',
  'email_accepted',
  'email_discarded',
  'attachment_refused',
  'sla_warning',
  'sla_breached',
  'escalated',
  // internal: a side effect failed for good / was repaired (workflows/case-failures.ts)
  'step_failed',
  'step_repaired',
  // internal: staff recorded the improvement this case produced, or cleared it (workflows/case-improvement.ts)
  'improvement_marked',
  // internal: staff set the case details — OS number, opening reason, estimate (workflows/case-details.ts)
  'details_updated',
] as const;
export type TimelineEventType = (typeof timelineEventTypes)[number];

/**
 * Who may be mailed about what (issue 13 item 18; the notification rules decide, within these limits).
 * The citizen hears of public events, and of these internal steps as a plain change of status, without
 * their internal content (instructions, names of staff): `forwarded` → "Encaminhada", `assigned` →
 * "Em atendimento".
 */
export const citizenStatusEvents: readonly TimelineEventType[] = ['assigned', 'forwarded'];
/**
 * Events nobody is mailed about, whatever the notification rules: a citizen's e-mail is recorded twice
 * (`email_received`, then `citizen_replied`) and staff hear about it once, from the second. The case
 * workflow does not run the notification step for them (issue 14, B3), and the step itself mails nobody.
 */
export function mailsNobody(event: { type: string; actor: string }): boolean {
  return event.type === 'email_received' && event.actor === 'citizen';
}
/** Staff work, alarms and mail bookkeeping: never mailed to the citizen, so no citizen rule exists. */
export const staffOnlyEvents: readonly TimelineEventType[] = [
  'details_updated',
  'auxiliary_added',
  'unit_responded',
  'priority_changed',
  'reclassified',
  'work_logged',
  'rated',
  'email_received',
  'email_sent',
  'sla_warning',
  'sla_breached',
  'escalated',
  'email_accepted',
  'email_discarded',
  'step_failed',
  'step_repaired',
  'improvement_marked',
];
