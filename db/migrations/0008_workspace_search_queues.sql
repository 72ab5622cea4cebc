CREATE TABLE "case_reads" (
	"user_id" text NOT NULL,
	"protocol" text NOT NULL,
	"seen_seq" integer NOT NULL,
	"seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "case_reads_user_id_protocol_pk" PRIMARY KEY("user_id","protocol")
);
--> statement-breakpoint
ALTER TABLE "manifestations" ADD COLUMN "topic" text;--> statement-breakpoint
ALTER TABLE "manifestations" ADD COLUMN "item" text;--> statement-breakpoint
ALTER TABLE "manifestations" ADD COLUMN "priority_rank" integer DEFAULT 2 NOT NULL;--> statement-breakpoint
ALTER TABLE "manifestations" ADD COLUMN "assignee_name" text;--> statement-breakpoint
ALTER TABLE "manifestations" ADD COLUMN "pending_units" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "manifestations" ADD COLUMN "last_activity_seq" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "manifestations" ADD COLUMN "last_activity_by" text;--> statement-breakpoint
ALTER TABLE "manifestations" ADD COLUMN "search_document" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "manifestations" ADD COLUMN "reporter_document" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "manifestations" ADD COLUMN "search_text" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "manifestations" drop column "search_vector";--> statement-breakpoint
ALTER TABLE "manifestations" ADD COLUMN "search_vector" "tsvector" GENERATED ALWAYS AS (to_tsvector('pt_unaccent', search_document)) STORED;--> statement-breakpoint
CREATE INDEX "manifestations_search_idx" ON "manifestations" USING gin ("search_vector");
--> statement-breakpoint
-- Backfill the search documents of existing rows (the projection keeps them from now on).
UPDATE "manifestations" SET
  "search_document" = concat_ws(' ', "protocol", "subject", "description", "assignee", array_to_string("units", ' ')),
  "reporter_document" = CASE WHEN "identity" = 'anonymous' THEN '' ELSE concat_ws(' ', "citizen"->>'name', "citizen_email") END,
  "search_text" = lower(regexp_replace(unaccent(concat_ws(' ', "protocol", "subject", "description", "assignee", array_to_string("units", ' '))), '[^[:alnum:]]+', ' ', 'g')),
  "priority_rank" = CASE "priority" WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'low' THEN 3 ELSE 2 END;
--> statement-breakpoint
ALTER TABLE "manifestations" ADD COLUMN "reporter_vector" "tsvector" GENERATED ALWAYS AS (to_tsvector('pt_unaccent', reporter_document)) STORED;--> statement-breakpoint
ALTER TABLE "case_reads" ADD CONSTRAINT "case_reads_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "manifestations_due_idx" ON "manifestations" USING btree (coalesce("due_at", 'infinity'::timestamptz),"protocol");--> statement-breakpoint
CREATE INDEX "manifestations_priority_idx" ON "manifestations" USING btree ("priority_rank",coalesce("due_at", 'infinity'::timestamptz),"protocol");--> statement-breakpoint
CREATE INDEX "manifestations_open_due_idx" ON "manifestations" USING btree ("due_at") WHERE "manifestations"."status" in ('received', 'in_progress', 'forwarded', 'awaiting_citizen');--> statement-breakpoint
CREATE INDEX "manifestations_units_idx" ON "manifestations" USING gin ("units");--> statement-breakpoint
CREATE INDEX "manifestations_reporter_search_idx" ON "manifestations" USING gin ("reporter_vector");--> statement-breakpoint
CREATE INDEX "manifestations_search_trgm_idx" ON "manifestations" USING gin ("search_text" gin_trgm_ops);