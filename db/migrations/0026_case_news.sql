CREATE TABLE "case_news" (
	"user_id" text NOT NULL,
	"protocol" text NOT NULL,
	CONSTRAINT "case_news_user_id_protocol_pk" PRIMARY KEY("user_id","protocol")
);
--> statement-breakpoint
ALTER TABLE "case_news" ADD CONSTRAINT "case_news_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "case_news_protocol_idx" ON "case_news" USING btree ("protocol");--> statement-breakpoint
CREATE INDEX "case_reads_protocol_idx" ON "case_reads" USING btree ("protocol");--> statement-breakpoint
-- "Com novidade" kept by the database (see db/queries/queue-counts.ts for why): a row of case_news per
-- (follower, case) with unseen news. A follower is the assignee (by e-mail) or anyone who opened the case
-- (case_reads); the news is unseen when the case's last news event is past what they saw and someone else
-- caused it. Every write that can change that refreshes the rows of the case (or of the pair), in the same
-- transaction: a projection changing the assignee or the last news, opening a case, a user's e-mail.
CREATE FUNCTION case_news_refresh(p text, only_user text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM case_news WHERE protocol = p AND (only_user IS NULL OR user_id = only_user);
  INSERT INTO case_news (user_id, protocol)
  SELECT f.id, m.protocol
  FROM manifestations m
  CROSS JOIN LATERAL (
    SELECT u.id, u.email FROM users u WHERE u.email = m.assignee
    UNION
    SELECT u.id, u.email FROM case_reads r JOIN users u ON u.id = r.user_id WHERE r.protocol = m.protocol
  ) f
  LEFT JOIN case_reads s ON s.user_id = f.id AND s.protocol = m.protocol
  WHERE m.protocol = p
    AND (only_user IS NULL OR f.id = only_user)
    AND m.last_activity_seq > coalesce(s.seen_seq, 0)
    AND m.last_activity_by IS DISTINCT FROM f.email
  ON CONFLICT DO NOTHING;
END $$;
--> statement-breakpoint
-- New cases, set-based (a fixture or a restore inserts many rows in one statement).
CREATE FUNCTION case_news_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO case_news (user_id, protocol)
  SELECT u.id, m.protocol FROM new_rows m JOIN users u ON u.email = m.assignee
  LEFT JOIN case_reads s ON s.user_id = u.id AND s.protocol = m.protocol
  WHERE m.last_activity_seq > coalesce(s.seen_seq, 0) AND m.last_activity_by IS DISTINCT FROM u.email
  UNION
  SELECT u.id, m.protocol FROM new_rows m JOIN case_reads s ON s.protocol = m.protocol
  JOIN users u ON u.id = s.user_id
  WHERE m.last_activity_seq > s.seen_seq AND m.last_activity_by IS DISTINCT FROM u.email
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER manifestations_case_news_insert AFTER INSERT ON manifestations
REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION case_news_inserted();
--> statement-breakpoint
CREATE FUNCTION case_news_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM case_news WHERE protocol IN (SELECT protocol FROM old_rows);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER manifestations_case_news_delete AFTER DELETE ON manifestations
REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION case_news_deleted();
--> statement-breakpoint
CREATE FUNCTION case_news_case_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM case_news_refresh(NEW.protocol, NULL);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER manifestations_case_news_update AFTER UPDATE ON manifestations
FOR EACH ROW WHEN (OLD.assignee IS DISTINCT FROM NEW.assignee
  OR OLD.last_activity_seq IS DISTINCT FROM NEW.last_activity_seq
  OR OLD.last_activity_by IS DISTINCT FROM NEW.last_activity_by)
EXECUTE FUNCTION case_news_case_changed();
--> statement-breakpoint
-- Opening a case (or forgetting that someone did). The case row is locked first: a projection writing the
-- same case at the same time either finishes before (and we see its news) or waits for us (and sees our
-- read), so the pair never keeps a stale marker.
CREATE FUNCTION case_news_read_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r case_reads%ROWTYPE;
BEGIN
  IF tg_op = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
  PERFORM 1 FROM manifestations WHERE protocol = r.protocol FOR SHARE;
  PERFORM case_news_refresh(r.protocol, r.user_id);
  IF tg_op = 'UPDATE' AND (OLD.user_id, OLD.protocol) IS DISTINCT FROM (NEW.user_id, NEW.protocol) THEN
    PERFORM case_news_refresh(OLD.protocol, OLD.user_id);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER case_reads_case_news AFTER INSERT OR UPDATE OR DELETE ON case_reads
FOR EACH ROW EXECUTE FUNCTION case_news_read_changed();
--> statement-breakpoint
-- A staff member's e-mail is how assignments name them: a new user or a changed e-mail re-derives their rows.
CREATE FUNCTION case_news_user_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM case_news WHERE user_id = NEW.id;
  INSERT INTO case_news (user_id, protocol)
  SELECT NEW.id, m.protocol FROM manifestations m
  LEFT JOIN case_reads s ON s.user_id = NEW.id AND s.protocol = m.protocol
  WHERE m.assignee = NEW.email AND m.last_activity_seq > coalesce(s.seen_seq, 0)
    AND m.last_activity_by IS DISTINCT FROM NEW.email
  UNION
  SELECT NEW.id, m.protocol FROM case_reads s JOIN manifestations m ON m.protocol = s.protocol
  WHERE s.user_id = NEW.id AND m.last_activity_seq > s.seen_seq AND m.last_activity_by IS DISTINCT FROM NEW.email
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER users_case_news_insert AFTER INSERT ON users
FOR EACH ROW EXECUTE FUNCTION case_news_user_changed();
--> statement-breakpoint
CREATE TRIGGER users_case_news_email AFTER UPDATE OF email ON users
FOR EACH ROW WHEN (OLD.email IS DISTINCT FROM NEW.email) EXECUTE FUNCTION case_news_user_changed();
--> statement-breakpoint
INSERT INTO case_news (user_id, protocol)
SELECT u.id, m.protocol FROM manifestations m JOIN users u ON u.email = m.assignee
LEFT JOIN case_reads s ON s.user_id = u.id AND s.protocol = m.protocol
WHERE m.last_activity_seq > coalesce(s.seen_seq, 0) AND m.last_activity_by IS DISTINCT FROM u.email
UNION
SELECT u.id, m.protocol FROM case_reads s JOIN users u ON u.id = s.user_id
JOIN manifestations m ON m.protocol = s.protocol
WHERE m.last_activity_seq > s.seen_seq AND m.last_activity_by IS DISTINCT FROM u.email
ON CONFLICT DO NOTHING;
