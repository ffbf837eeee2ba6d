-- A person's erasure (issue 20): the user row stays, so that every record
-- still names the (erased) user by id; its name and e-mail are replaced.
ALTER TABLE users ADD COLUMN erased_at timestamptz;

-- Who asked for a person's erasure, and who confirmed it. Ids only.
CREATE TABLE erasure_requests (
    id             bigserial PRIMARY KEY,
    user_id        bigint NOT NULL REFERENCES users (id),
    requested_by   bigint NOT NULL REFERENCES users (id),
    requested_at   timestamptz NOT NULL,
    status         text NOT NULL DEFAULT 'requested' CHECK (status IN ('requested', 'confirmed')),
    staff_confirm  boolean NOT NULL DEFAULT false,
    decided_by     bigint REFERENCES users (id),
    decided_at     timestamptz,
    CHECK ((status = 'requested') = (decided_at IS NULL))
);
CREATE UNIQUE INDEX erasure_requests_open_idx ON erasure_requests (user_id) WHERE status = 'requested';

-- A mail's body is deleted after the retention period; the record that it
-- was sent stays.
ALTER TABLE outbox ADD COLUMN body_deleted_at timestamptz;
ALTER TABLE applications ADD COLUMN documents_deleted_at timestamptz;

-- The audit trail stays append-only: no entry is ever deleted, and what
-- happened (when, by which user id, to which kind of record, which
-- action) never changes. Only the erasure of a person may redact the
-- personal values of entries (the actor's label, a login's typed address,
-- the before and after values), and only in a transaction that says so
-- with SET LOCAL wholesale.audit_redaction = 'on' (internal/privacy).
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND current_setting('wholesale.audit_redaction', true) = 'on'
       AND NEW.id = OLD.id AND NEW.at = OLD.at AND NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id
       AND NEW.entity = OLD.entity AND NEW.action = OLD.action THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
