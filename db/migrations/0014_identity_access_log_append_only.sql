-- The identity-access log is append-only for every role, the app's own user and the table owner included:
-- UPDATE, DELETE and TRUNCATE raise an error (Decreto 10.153/2019: every access to a protected identity is
-- recorded and the record cannot be altered).
CREATE OR REPLACE FUNCTION identity_access_log_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'identity_access_log is append-only: % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER identity_access_log_no_update_delete
  BEFORE UPDATE OR DELETE ON identity_access_log
  FOR EACH ROW EXECUTE FUNCTION identity_access_log_refuse_change();
--> statement-breakpoint
CREATE TRIGGER identity_access_log_no_truncate
  BEFORE TRUNCATE ON identity_access_log
  FOR EACH STATEMENT EXECUTE FUNCTION identity_access_log_refuse_change();
