-- The planner's estimate of how many distinct tenths of a day a unit takes to answer (issue 12 item 7):
-- db/queries/reports/quality.ts (unit answers) groups a period's forwards by (unit, tenth); knowing the count
-- is small, the planner hashes the groups instead of sorting the forwards (at 1M cases, a year: 0.2 → 0.06 s).
CREATE STATISTICS IF NOT EXISTS "report_unit_assignments_days_stat" ON (round(extract(epoch from responded_at - forwarded_at) / 8640)) FROM "report_unit_assignments";--> statement-breakpoint
ANALYZE "report_unit_assignments";
