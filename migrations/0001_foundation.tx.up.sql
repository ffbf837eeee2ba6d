-- Companies: the business customers. The customers issue fills in the rest.
CREATE TABLE companies (
    id          bigserial PRIMARY KEY,
    name        text NOT NULL CHECK (btrim(name) <> ''),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
    id             bigserial PRIMARY KEY,
    email          text NOT NULL CHECK (email = lower(btrim(email)) AND email <> ''),
    name           text NOT NULL CHECK (btrim(name) <> ''),
    role           text NOT NULL CHECK (role IN ('admin', 'sales', 'account_manager', 'warehouse', 'customer')),
    company_id     bigint REFERENCES companies (id),
    password_hash  text NOT NULL DEFAULT '',
    active         boolean NOT NULL DEFAULT true,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT users_email_key UNIQUE (email),
    CONSTRAINT users_customer_has_company CHECK ((role = 'customer') = (company_id IS NOT NULL))
);
CREATE INDEX users_company_idx ON users (company_id) WHERE company_id IS NOT NULL;

-- Failed logins are counted per e-mail address, whether or not a user has it,
-- so that the lockout never tells which addresses exist.
CREATE TABLE login_failures (
    email           text PRIMARY KEY,
    failures        integer NOT NULL DEFAULT 0,
    locked_until    timestamptz,
    last_failed_at  timestamptz NOT NULL
);

CREATE TABLE password_resets (
    id          bigserial PRIMARY KEY,
    user_id     bigint NOT NULL REFERENCES users (id),
    code_hash   text NOT NULL,
    tries       integer NOT NULL DEFAULT 0,
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz
);
CREATE INDEX password_resets_user_idx ON password_resets (user_id, created_at DESC);

CREATE TABLE api_tokens (
    id            bigserial PRIMARY KEY,
    user_id       bigint NOT NULL REFERENCES users (id),
    name          text NOT NULL CHECK (btrim(name) <> ''),
    prefix        text NOT NULL,
    token_hash    text NOT NULL UNIQUE,
    created_at    timestamptz NOT NULL,
    last_used_at  timestamptz,
    revoked_at    timestamptz
);
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id);

-- Key-value storage behind Fiber's sessions, CSRF tokens and rate limiter,
-- shared by every app server.
CREATE TABLE kv_store (
    namespace   text NOT NULL,
    key         text NOT NULL,
    value       bytea NOT NULL,
    expires_at  timestamptz,
    PRIMARY KEY (namespace, key)
);
CREATE INDEX kv_store_expiry_idx ON kv_store (expires_at) WHERE expires_at IS NOT NULL;

-- Outgoing mail, written in the transaction of the change that causes it.
CREATE TABLE outbox (
    id           bigserial PRIMARY KEY,
    to_address   text NOT NULL,
    subject      text NOT NULL,
    body         text NOT NULL,
    created_at   timestamptz NOT NULL,
    attempts     integer NOT NULL DEFAULT 0,
    next_try_at  timestamptz NOT NULL,
    sent_at      timestamptz,
    transport    text,
    last_error   text
);
CREATE INDEX outbox_pending_idx ON outbox (next_try_at) WHERE sent_at IS NULL;

-- The audit trail: append-only.
CREATE TABLE audit_log (
    id          bigserial PRIMARY KEY,
    at          timestamptz NOT NULL,
    actor_id    bigint REFERENCES users (id),
    actor       text NOT NULL,
    entity      text NOT NULL,
    entity_id   text NOT NULL,
    action      text NOT NULL,
    before      jsonb,
    after       jsonb
);
CREATE INDEX audit_log_entity_idx ON audit_log (entity, entity_id, id);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, id);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
