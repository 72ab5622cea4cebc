CREATE TABLE "attachments" (
	"id" text PRIMARY KEY NOT NULL,
	"protocol" text,
	"filename" text NOT NULL,
	"content_type" text NOT NULL,
	"size" integer NOT NULL,
	"sha256" text NOT NULL,
	"source" text NOT NULL,
	"inbound_email_id" text,
	"uploaded_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inbound_emails" (
	"id" text PRIMARY KEY NOT NULL,
	"message_id" text NOT NULL,
	"door" text NOT NULL,
	"raw" "bytea",
	"sha256" text,
	"size" integer,
	"envelope" jsonb,
	"source_payload" jsonb,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"status" text DEFAULT 'received' NOT NULL,
	"error" text,
	"classification" text,
	"from_address" text,
	"subject" text,
	"in_reply_to" text,
	"references" text[],
	"protocol" text,
	"threaded_by" text,
	"from_role" text,
	"auth_results" jsonb,
	"reply_text" text,
	"attachment_ids" text[],
	"actions" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"processed_at" timestamp with time zone,
	CONSTRAINT "inbound_emails_message_id_unique" UNIQUE("message_id")
);
--> statement-breakpoint
CREATE TABLE "notification_rules" (
	"event_type" text NOT NULL,
	"recipient" text NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notification_rules_event_type_recipient_pk" PRIMARY KEY("event_type","recipient")
);
--> statement-breakpoint
CREATE TABLE "outbound_emails" (
	"id" text PRIMARY KEY NOT NULL,
	"idempotency_key" text NOT NULL,
	"protocol" text NOT NULL,
	"event_seq" integer NOT NULL,
	"event_type" text NOT NULL,
	"template" text NOT NULL,
	"recipient" text NOT NULL,
	"recipient_role" text NOT NULL,
	"from_address" text NOT NULL,
	"reply_to" text NOT NULL,
	"message_id" text NOT NULL,
	"subject" text NOT NULL,
	"html" text NOT NULL,
	"text" text NOT NULL,
	"headers" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"status" text DEFAULT 'sending' NOT NULL,
	"transport" text,
	"provider_id" text,
	"transport_result" jsonb,
	"error" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	CONSTRAINT "outbound_emails_idempotency_key_unique" UNIQUE("idempotency_key"),
	CONSTRAINT "outbound_emails_message_id_unique" UNIQUE("message_id")
);
--> statement-breakpoint
CREATE INDEX "attachments_protocol_idx" ON "attachments" USING btree ("protocol");--> statement-breakpoint
CREATE INDEX "inbound_emails_protocol_idx" ON "inbound_emails" USING btree ("protocol","received_at");--> statement-breakpoint
CREATE INDEX "inbound_emails_status_idx" ON "inbound_emails" USING btree ("status","received_at");--> statement-breakpoint
CREATE INDEX "outbound_emails_protocol_idx" ON "outbound_emails" USING btree ("protocol","created_at");--> statement-breakpoint
CREATE INDEX "outbound_emails_recipient_idx" ON "outbound_emails" USING btree ("protocol","recipient","created_at");