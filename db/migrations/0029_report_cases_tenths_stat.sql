-- The planner's estimate of how many distinct tenths of a day to answer there are (issue 12 item 7):
-- db/queries/reports/deadline-figures.ts groups a year of cases by (group, tenth); knowing the count is
-- small, the planner hashes the groups instead of sorting the cases.
CREATE STATISTICS IF NOT EXISTS "report_cases_answer_tenths_stat" ON (round(answer_days * 10)) FROM "report_cases";--> statement-breakpoint
ANALYZE "report_cases";
