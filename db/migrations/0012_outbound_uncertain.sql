ALTER TABLE "outbound_emails" ADD COLUMN "in_flight_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "outbound_emails" ADD COLUMN "uncertain_attempts" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "outbound_emails" ADD COLUMN "resends" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "outbound_emails" ADD COLUMN "resent_by" text;--> statement-breakpoint
ALTER TABLE "outbound_emails" ADD COLUMN "resend_request" text;