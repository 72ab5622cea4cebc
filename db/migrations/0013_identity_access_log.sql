CREATE TABLE "identity_access_log" (
	"id" text PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor" text NOT NULL,
	"actor_role" text NOT NULL,
	"protocol" text NOT NULL,
	"purpose" text NOT NULL
);
--> statement-breakpoint
CREATE INDEX "identity_access_log_at_idx" ON "identity_access_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "identity_access_log_protocol_idx" ON "identity_access_log" USING btree ("protocol","at");