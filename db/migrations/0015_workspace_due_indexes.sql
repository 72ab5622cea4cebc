DROP INDEX "manifestations_open_due_idx";--> statement-breakpoint
CREATE INDEX "manifestations_due_at_idx" ON "manifestations" USING btree ("due_at");--> statement-breakpoint
CREATE INDEX "manifestations_open_due_idx" ON "manifestations" USING btree ("due_at","assignee","status") WHERE "manifestations"."status" in ('received', 'in_progress', 'forwarded', 'awaiting_citizen');