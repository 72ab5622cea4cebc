-- The default business calendar (Mon–Fri 08:00–18:00, America/Sao_Paulo, national holidays) and the
-- legal default policies (DESIGN §3), the same as DEFAULT_POLICIES in activities/deadline.ts.
INSERT INTO "calendars" ("id", "name", "timezone", "working_hours", "overtime_hours", "state", "version")
VALUES (
  'default',
  'Expediente padrão (seg–sex 08:00–18:00)',
  'America/Sao_Paulo',
  '{"1":[{"start":"08:00","end":"18:00"}],"2":[{"start":"08:00","end":"18:00"}],"3":[{"start":"08:00","end":"18:00"}],"4":[{"start":"08:00","end":"18:00"}],"5":[{"start":"08:00","end":"18:00"}],"6":[],"7":[]}'::jsonb,
  NULL,
  NULL,
  1
)
ON CONFLICT ("id") DO NOTHING;--> statement-breakpoint
INSERT INTO "sla_policies" ("id", "name", "scope", "unit", "amount", "extension_amount", "max_extensions", "complementation", "calendar_id", "version")
VALUES
  ('law-case', 'Lei 13.460/2017 art. 16 — resposta conclusiva em 30 dias, prorrogável uma vez por 30', 'case', 'calendar_days', 30, 30, 1, 'interrupt_once', 'default', 1),
  ('law-unit', 'Resposta da unidade à ouvidoria em 20 dias, prorrogável uma vez por 20', 'unit', 'calendar_days', 20, 20, 1, 'interrupt_once', 'default', 1),
  ('law-complementation', 'Decreto 9.492/2018 art. 18 — complementação em 20 dias', 'complementation', 'calendar_days', 20, 0, 0, 'interrupt_once', 'default', 1),
  ('default-auto-close', 'Encerramento automático 20 dias após a resposta sem manifestação do cidadão', 'auto_close', 'calendar_days', 20, 0, 0, 'interrupt_once', 'default', 1)
ON CONFLICT ("id") DO NOTHING;
