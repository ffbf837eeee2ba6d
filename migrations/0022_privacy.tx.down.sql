CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
ALTER TABLE applications DROP COLUMN documents_deleted_at;
ALTER TABLE outbox DROP COLUMN body_deleted_at;
DROP TABLE erasure_requests;
ALTER TABLE users DROP COLUMN erased_at;
