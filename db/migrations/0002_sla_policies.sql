CREATE TABLE "calendar_overrides" (
	"calendar_id" text NOT NULL,
	"date" date NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"hours" jsonb,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "calendar_overrides_calendar_id_date_pk" PRIMARY KEY("calendar_id","date"),
	CONSTRAINT "calendar_overrides_kind_check" CHECK ("calendar_overrides"."kind" in ('holiday', 'workday'))
);
--> statement-breakpoint
CREATE TABLE "calendars" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"timezone" text DEFAULT 'America/Sao_Paulo' NOT NULL,
	"working_hours" jsonb NOT NULL,
	"overtime_hours" jsonb,
	"state" text,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sla_policies" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"scope" text NOT NULL,
	"kind" text,
	"item" text,
	"priority" text,
	"unit" text NOT NULL,
	"amount" integer NOT NULL,
	"warning_points" jsonb DEFAULT '[0.5, 0.75, 0.9]'::jsonb NOT NULL,
	"extension_amount" integer DEFAULT 0 NOT NULL,
	"max_extensions" integer DEFAULT 0 NOT NULL,
	"complementation" text DEFAULT 'interrupt_once' NOT NULL,
	"include_overtime" boolean DEFAULT false NOT NULL,
	"calendar_id" text DEFAULT 'default' NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sla_policies_scope_check" CHECK ("sla_policies"."scope" in ('case', 'unit', 'complementation', 'auto_close')),
	CONSTRAINT "sla_policies_unit_check" CHECK ("sla_policies"."unit" in ('calendar_days', 'business_days', 'business_hours')),
	CONSTRAINT "sla_policies_complementation_check" CHECK ("sla_policies"."complementation" in ('interrupt_once', 'suspend')),
	CONSTRAINT "sla_policies_amount_check" CHECK ("sla_policies"."amount" > 0 and "sla_policies"."extension_amount" >= 0 and "sla_policies"."max_extensions" >= 0)
);
--> statement-breakpoint
ALTER TABLE "calendar_overrides" ADD CONSTRAINT "calendar_overrides_calendar_id_calendars_id_fk" FOREIGN KEY ("calendar_id") REFERENCES "public"."calendars"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_policies" ADD CONSTRAINT "sla_policies_calendar_id_calendars_id_fk" FOREIGN KEY ("calendar_id") REFERENCES "public"."calendars"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sla_policies_scope_idx" ON "sla_policies" USING btree ("scope","active");