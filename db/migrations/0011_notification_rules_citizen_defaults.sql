-- Issue 13 item 18: the notification rules are the only source of who is mailed. The citizen was listed
-- for `assigned` and `forwarded`, which are internal events, and got nothing. Now the citizen is told of
-- `forwarded` as a change of status ("Encaminhada", no internal content), which a citizen expects; an
-- internal assignment is not worth a mail, so that default is switched off. Citizen rules for
-- staff-only events (workflows/vocabulary.ts staffOnlyEvents) cannot apply and are removed.
UPDATE "notification_rules" SET "enabled" = false, "updated_at" = now()
WHERE "event_type" = 'assigned' AND "recipient" = 'citizen';
--> statement-breakpoint
DELETE FROM "notification_rules"
WHERE "recipient" = 'citizen' AND "event_type" IN (
  'auxiliary_added', 'unit_responded', 'priority_changed', 'reclassified', 'work_logged', 'rated',
  'email_received', 'email_sent', 'sla_warning', 'sla_breached', 'escalated', 'email_accepted',
  'email_discarded', 'step_failed', 'step_repaired'
);
