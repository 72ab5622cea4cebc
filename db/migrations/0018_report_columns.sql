CREATE TABLE "annual_reports" (
	"year" integer PRIMARY KEY NOT NULL,
	"sections" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"published_at" timestamp with time zone,
	"published_by" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text
);
--> statement-breakpoint
CREATE TABLE "report_unit_assignments" (
	"protocol" text NOT NULL,
	"unit" text NOT NULL,
	"forwarded_at" timestamp with time zone NOT NULL,
	"due_at" timestamp with time zone,
	"responded_at" timestamp with time zone,
	"extensions" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "report_unit_assignments_protocol_unit_forwarded_at_pk" PRIMARY KEY("protocol","unit","forwarded_at")
);
--> statement-breakpoint
ALTER TABLE "manifestations" ADD COLUMN "answered_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "manifestations" ADD COLUMN "answer_due_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "manifestations" ADD COLUMN "answer_days" double precision;--> statement-breakpoint
ALTER TABLE "manifestations" ADD COLUMN "closed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "manifestations" ADD COLUMN "case_extensions" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "manifestations" ADD COLUMN "complementation_requests" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "manifestations" ADD COLUMN "reopen_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "manifestations" ADD COLUMN "rejections" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "manifestations" ADD COLUMN "work_minutes" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "manifestations" ADD COLUMN "estimate_minutes" integer;--> statement-breakpoint
ALTER TABLE "manifestations" ADD COLUMN "rating_score" integer;--> statement-breakpoint
ALTER TABLE "manifestations" ADD COLUMN "rating_resolved" text;--> statement-breakpoint
ALTER TABLE "manifestations" ADD COLUMN "partial_score" integer;--> statement-breakpoint
ALTER TABLE "manifestations" ADD COLUMN "partial_resolved" text;--> statement-breakpoint
ALTER TABLE "manifestations" ADD COLUMN "improvement" text;--> statement-breakpoint
CREATE INDEX "report_unit_assignments_forwarded_idx" ON "report_unit_assignments" USING btree ("forwarded_at","unit");--> statement-breakpoint
CREATE INDEX "manifestations_answered_at_idx" ON "manifestations" USING btree ("answered_at");--> statement-breakpoint
CREATE INDEX "manifestations_closed_at_idx" ON "manifestations" USING btree ("closed_at");