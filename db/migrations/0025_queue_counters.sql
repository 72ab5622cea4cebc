CREATE TABLE "queue_counters" (
	"status" text NOT NULL,
	"unassigned" boolean NOT NULL,
	"n" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "queue_counters_status_unassigned_pk" PRIMARY KEY("status","unassigned")
);
--> statement-breakpoint
CREATE INDEX "manifestations_open_assignee_idx" ON "manifestations" USING btree ("assignee") WHERE "manifestations"."status" in ('received', 'in_progress', 'forwarded', 'awaiting_citizen');
--> statement-breakpoint
-- Open cases by (status, taken or not), kept by the database itself on every write to manifestations, so
-- the counters can never drift from the rows (see db/queries/queue-counts.ts for why counters). An update
-- that changes neither the status nor whether the case is taken — most projections — touches no counter;
-- when both rows change they are updated in key order, so two projections never deadlock on them.
CREATE FUNCTION queue_counters_track() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  open_statuses constant text[] := array['received', 'in_progress', 'forwarded', 'awaiting_citizen'];
  old_key text := null;
  new_key text := null;
  k text;
BEGIN
  IF tg_op IN ('UPDATE', 'DELETE') AND OLD.status = ANY (open_statuses) THEN
    old_key := OLD.status || ':' || (OLD.assignee IS NULL)::text;
  END IF;
  IF tg_op IN ('INSERT', 'UPDATE') AND NEW.status = ANY (open_statuses) THEN
    new_key := NEW.status || ':' || (NEW.assignee IS NULL)::text;
  END IF;
  IF old_key IS NOT DISTINCT FROM new_key THEN
    RETURN NULL;
  END IF;
  FOR k IN SELECT x FROM unnest(array[old_key, new_key]) AS x WHERE x IS NOT NULL ORDER BY x LOOP
    INSERT INTO queue_counters (status, unassigned, n)
    VALUES (split_part(k, ':', 1), split_part(k, ':', 2)::boolean, CASE WHEN k = new_key THEN 1 ELSE -1 END)
    ON CONFLICT (status, unassigned) DO UPDATE SET n = queue_counters.n + excluded.n;
  END LOOP;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER manifestations_queue_counters
AFTER INSERT OR UPDATE OF status, assignee OR DELETE ON manifestations
FOR EACH ROW EXECUTE FUNCTION queue_counters_track();
--> statement-breakpoint
INSERT INTO queue_counters (status, unassigned, n)
SELECT status, assignee IS NULL, count(*) FROM manifestations
WHERE status IN ('received', 'in_progress', 'forwarded', 'awaiting_citizen')
GROUP BY 1, 2;
