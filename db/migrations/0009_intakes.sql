CREATE TABLE "intakes" (
	"protocol" text PRIMARY KEY NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"idempotency_key" text,
	"fingerprint" text,
	"receipt" jsonb,
	"void_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "intakes_idempotency_key_idx" ON "intakes" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "intakes_state_idx" ON "intakes" USING btree ("state","created_at");