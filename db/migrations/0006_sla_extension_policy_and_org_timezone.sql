ALTER TABLE "calendars" ADD COLUMN "timezone_from_env" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "sla_policies" ADD COLUMN "extension_from" text DEFAULT 'deadline' NOT NULL;--> statement-breakpoint
ALTER TABLE "sla_policies" ADD COLUMN "allow_late_extension" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "sla_policies" ADD CONSTRAINT "sla_policies_extension_from_check" CHECK ("sla_policies"."extension_from" in ('deadline', 'start'));--> statement-breakpoint
-- The seeded default calendar takes ORG_TIMEZONE on the next start (db/queries/sla.ts adoptOrgTimezone)
-- unless an admin already edited it (version > 1).
UPDATE "calendars" SET "timezone_from_env" = true WHERE "id" = 'default' AND "version" = 1;
