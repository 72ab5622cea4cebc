-- Which timeline events mail whom, by default (issue 4). Admins switch rules on/off; the notify activity
-- reads this table. Citizens only ever receive public events; anonymous cases have no citizen address.
INSERT INTO "notification_rules" ("event_type", "recipient", "enabled") VALUES
  ('received', 'citizen', true),
  ('received', 'group', true),
  ('assigned', 'citizen', true),
  ('assigned', 'assignee', true),
  ('forwarded', 'citizen', true),
  ('forwarded', 'unit', true),
  ('unit_responded', 'assignee', true),
  ('info_requested', 'citizen', true),
  ('citizen_replied', 'assignee', true),
  ('email_received', 'assignee', true),
  ('deadline_extended', 'citizen', true),
  ('answered', 'citizen', true),
  ('rejected', 'assignee', true),
  ('closed', 'citizen', true),
  ('archived', 'citizen', true),
  ('reopened', 'citizen', true),
  ('reopened', 'assignee', true),
  ('sla_warning', 'assignee', true),
  ('sla_breached', 'assignee', true),
  ('sla_breached', 'ombudsman', true),
  ('escalated', 'ombudsman', true)
ON CONFLICT DO NOTHING;
