ALTER TABLE "inbound_emails" ADD COLUMN "conversation_key" text;--> statement-breakpoint
ALTER TABLE "inbound_emails" ADD COLUMN "verification" text;--> statement-breakpoint
CREATE INDEX "inbound_emails_conversation_idx" ON "inbound_emails" USING btree ("conversation_key");--> statement-breakpoint
CREATE INDEX "inbound_emails_from_idx" ON "inbound_emails" USING btree ("from_address","received_at");