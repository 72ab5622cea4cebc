-- The citizen is told (by e-mail) when files of their e-mail could not be kept (issue 13 item 14).
INSERT INTO "notification_rules" ("event_type", "recipient", "enabled") VALUES
  ('attachment_refused', 'citizen', true)
ON CONFLICT DO NOTHING;
