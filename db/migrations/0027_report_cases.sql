CREATE TABLE "report_cases" (
	"protocol" text PRIMARY KEY NOT NULL,
	"revision" integer NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"due_at" timestamp with time zone,
	"answered_at" timestamp with time zone,
	"answer_due_at" timestamp with time zone,
	"answer_days" double precision,
	"closed_at" timestamp with time zone,
	"kind" text NOT NULL,
	"status" text NOT NULL,
	"channel" text NOT NULL,
	"priority" text NOT NULL,
	"topic" text,
	"item" text,
	"group_code" text,
	"assignee" text,
	"assignee_name" text,
	"reason_code" text,
	"units" text[] DEFAULT '{}'::text[] NOT NULL,
	"case_extensions" integer DEFAULT 0 NOT NULL,
	"complementation_requests" integer DEFAULT 0 NOT NULL,
	"reopen_count" integer DEFAULT 0 NOT NULL,
	"rejections" integer DEFAULT 0 NOT NULL,
	"work_minutes" integer DEFAULT 0 NOT NULL,
	"estimate_minutes" integer,
	"rating_score" integer,
	"rating_resolved" text,
	"partial_score" integer,
	"partial_resolved" text,
	"improvement" text
);
--> statement-breakpoint
-- Backfill (issue 12): the report facts of every case projected so far move from manifestations into
-- report_cases, with the revision they were projected at (a later projection overwrites them as usual).
INSERT INTO "report_cases" (protocol, revision, received_at, due_at, answered_at, answer_due_at, answer_days, closed_at, kind, status, channel, priority, topic, item, group_code, assignee, assignee_name, reason_code, units, case_extensions, complementation_requests, reopen_count, rejections, work_minutes, estimate_minutes, rating_score, rating_resolved, partial_score, partial_resolved, improvement)
SELECT protocol, revision, received_at, due_at, answered_at, answer_due_at, answer_days, closed_at, kind, status, channel, priority, topic, item, group_code, assignee, assignee_name, reason_code, units, case_extensions, complementation_requests, reopen_count, rejections, work_minutes, estimate_minutes, rating_score, rating_resolved, partial_score, partial_resolved, improvement FROM "manifestations";--> statement-breakpoint
DROP INDEX "manifestations_answered_at_idx";--> statement-breakpoint
DROP INDEX "manifestations_closed_at_idx";--> statement-breakpoint
ALTER TABLE "report_unit_assignments" ADD COLUMN "revision" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
UPDATE "report_unit_assignments" a SET "revision" = m."revision" FROM "manifestations" m WHERE m."protocol" = a."protocol";--> statement-breakpoint
CREATE INDEX "report_cases_received_idx" ON "report_cases" USING btree ("received_at","protocol");--> statement-breakpoint
CREATE INDEX "report_cases_answered_idx" ON "report_cases" USING btree ("answered_at");--> statement-breakpoint
CREATE INDEX "report_cases_closed_idx" ON "report_cases" USING btree ("closed_at");--> statement-breakpoint
CREATE INDEX "report_cases_open_idx" ON "report_cases" USING btree ("received_at") WHERE status in ('received', 'in_progress', 'forwarded', 'awaiting_citizen');--> statement-breakpoint
CREATE INDEX "report_cases_improvement_idx" ON "report_cases" USING btree ("answered_at") WHERE improvement is not null;--> statement-breakpoint
ALTER TABLE "manifestations" DROP COLUMN "answered_at";--> statement-breakpoint
ALTER TABLE "manifestations" DROP COLUMN "answer_due_at";--> statement-breakpoint
ALTER TABLE "manifestations" DROP COLUMN "answer_days";--> statement-breakpoint
ALTER TABLE "manifestations" DROP COLUMN "closed_at";--> statement-breakpoint
ALTER TABLE "manifestations" DROP COLUMN "case_extensions";--> statement-breakpoint
ALTER TABLE "manifestations" DROP COLUMN "complementation_requests";--> statement-breakpoint
ALTER TABLE "manifestations" DROP COLUMN "reopen_count";--> statement-breakpoint
ALTER TABLE "manifestations" DROP COLUMN "rejections";--> statement-breakpoint
ALTER TABLE "manifestations" DROP COLUMN "work_minutes";--> statement-breakpoint
ALTER TABLE "manifestations" DROP COLUMN "estimate_minutes";--> statement-breakpoint
ALTER TABLE "manifestations" DROP COLUMN "rating_score";--> statement-breakpoint
ALTER TABLE "manifestations" DROP COLUMN "rating_resolved";--> statement-breakpoint
ALTER TABLE "manifestations" DROP COLUMN "partial_score";--> statement-breakpoint
ALTER TABLE "manifestations" DROP COLUMN "partial_resolved";--> statement-breakpoint
ALTER TABLE "manifestations" DROP COLUMN "improvement";--> statement-breakpoint
ALTER TABLE "manifestations" DROP COLUMN "reason_code";