-- Company record of an approved customer.
ALTER TABLE companies
    ADD COLUMN kvk                text NOT NULL DEFAULT '',
    ADD COLUMN vat_id             text NOT NULL DEFAULT '',
    ADD COLUMN visiting_street    text NOT NULL DEFAULT '',
    ADD COLUMN visiting_postcode  text NOT NULL DEFAULT '',
    ADD COLUMN visiting_city      text NOT NULL DEFAULT '',
    ADD COLUMN visiting_country   text NOT NULL DEFAULT 'NL',
    ADD COLUMN invoice_street     text NOT NULL DEFAULT '',
    ADD COLUMN invoice_postcode   text NOT NULL DEFAULT '',
    ADD COLUMN invoice_city       text NOT NULL DEFAULT '',
    ADD COLUMN invoice_country    text NOT NULL DEFAULT 'NL',
    ADD COLUMN contact_name       text NOT NULL DEFAULT '',
    ADD COLUMN contact_email      text NOT NULL DEFAULT '',
    ADD COLUMN contact_phone      text NOT NULL DEFAULT '',
    ADD COLUMN invoice_email      text NOT NULL DEFAULT '',
    ADD COLUMN iban               text NOT NULL DEFAULT '',
    ADD COLUMN account_holder     text NOT NULL DEFAULT '',
    ADD COLUMN payment_terms      text NOT NULL DEFAULT 'prepayment' CHECK (payment_terms IN ('credit', 'prepayment')),
    ADD COLUMN credit_limit_cents bigint NOT NULL DEFAULT 0 CHECK (credit_limit_cents >= 0),
    ADD COLUMN payment_term_days  integer NOT NULL DEFAULT 30 CHECK (payment_term_days BETWEEN 0 AND 365),
    ADD COLUMN account_manager_id bigint REFERENCES users (id),
    ADD COLUMN application_id     bigint;
CREATE INDEX companies_kvk_idx ON companies (kvk) WHERE kvk <> '';
CREATE INDEX companies_vat_idx ON companies (vat_id) WHERE vat_id <> '';
CREATE INDEX companies_account_manager_idx ON companies (account_manager_id);

-- Uploaded files, addressed by content: the same file uploaded twice is stored once.
CREATE TABLE blobs (
    sha256   text PRIMARY KEY CHECK (length(sha256) = 64),
    size     bigint NOT NULL CHECK (size > 0),
    content  bytea NOT NULL
);

CREATE TABLE applications (
    id                     bigserial PRIMARY KEY,
    status                 text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'in_review', 'waiting', 'approved', 'rejected')),
    source                 text NOT NULL CHECK (source IN ('web', 'email')),
    entered_by             bigint REFERENCES users (id),
    company_name           text NOT NULL,
    kvk                    text NOT NULL,
    vat_id                 text NOT NULL,
    visiting_street        text NOT NULL,
    visiting_postcode      text NOT NULL,
    visiting_city          text NOT NULL,
    visiting_country       text NOT NULL,
    invoice_street         text NOT NULL,
    invoice_postcode       text NOT NULL,
    invoice_city           text NOT NULL,
    invoice_country        text NOT NULL,
    contact_name           text NOT NULL,
    contact_email          text NOT NULL,
    contact_phone          text NOT NULL,
    iban                   text NOT NULL,
    account_holder         text NOT NULL,
    terms_version          text NOT NULL,
    terms_accepted_at      timestamptz NOT NULL,
    vies_status            text NOT NULL DEFAULT 'off' CHECK (vies_status IN ('off', 'pending', 'valid', 'invalid')),
    vies_checked_at        timestamptz,
    vies_name              text NOT NULL DEFAULT '',
    vies_address           text NOT NULL DEFAULT '',
    vies_error             text NOT NULL DEFAULT '',
    kvk_extract_date       date,
    upload_token_hash      text UNIQUE,
    upload_token_expires   timestamptz,
    upload_request_note    text NOT NULL DEFAULT '',
    reject_reason          text NOT NULL DEFAULT '',
    decided_by             bigint REFERENCES users (id),
    decided_at             timestamptz,
    company_id             bigint REFERENCES companies (id),
    created_at             timestamptz NOT NULL,
    updated_at             timestamptz NOT NULL
);
CREATE INDEX applications_queue_idx ON applications (status, created_at);
CREATE INDEX applications_kvk_idx ON applications (kvk);
CREATE INDEX applications_vat_idx ON applications (vat_id);

CREATE TABLE change_requests (
    id                        bigserial PRIMARY KEY,
    company_id                bigint NOT NULL REFERENCES companies (id),
    kind                      text NOT NULL CHECK (kind IN ('addresses', 'contact', 'bank', 'invoice_email')),
    old_values                jsonb NOT NULL,
    new_values                jsonb NOT NULL,
    status                    text NOT NULL CHECK (status IN ('awaiting_confirmation', 'awaiting_approval', 'approved', 'rejected')),
    note                      text NOT NULL DEFAULT '',
    requested_by              bigint NOT NULL REFERENCES users (id),
    requested_at              timestamptz NOT NULL,
    confirmation              text CHECK (confirmation IN ('document', 'portal')),
    confirmed_by              bigint REFERENCES users (id),
    confirmed_at              timestamptz,
    decided_by                bigint REFERENCES users (id),
    decided_at                timestamptz,
    decision_note             text NOT NULL DEFAULT ''
);
CREATE INDEX change_requests_company_idx ON change_requests (company_id, id);
CREATE INDEX change_requests_open_idx ON change_requests (status) WHERE status IN ('awaiting_confirmation', 'awaiting_approval');

CREATE TABLE documents (
    id                 bigserial PRIMARY KEY,
    application_id     bigint REFERENCES applications (id),
    change_request_id  bigint REFERENCES change_requests (id),
    kind               text NOT NULL CHECK (kind IN ('vat_statement', 'kvk_extract', 'letterhead', 'signed_terms', 'confirmation')),
    filename           text NOT NULL,
    content_type       text NOT NULL CHECK (content_type IN ('application/pdf', 'image/png', 'image/jpeg')),
    size               bigint NOT NULL,
    sha256             text NOT NULL REFERENCES blobs (sha256),
    uploaded_at        timestamptz NOT NULL,
    uploaded_by        bigint REFERENCES users (id),
    CHECK ((application_id IS NULL) <> (change_request_id IS NULL))
);
CREATE INDEX documents_application_idx ON documents (application_id) WHERE application_id IS NOT NULL;
CREATE INDEX documents_change_idx ON documents (change_request_id) WHERE change_request_id IS NOT NULL;

-- Each checklist item's current verdict; the history is in the audit trail.
CREATE TABLE application_checks (
    application_id  bigint NOT NULL REFERENCES applications (id),
    item            text NOT NULL,
    passed          boolean NOT NULL,
    note            text NOT NULL DEFAULT '',
    checked_by      bigint NOT NULL REFERENCES users (id),
    checked_at      timestamptz NOT NULL,
    PRIMARY KEY (application_id, item)
);

-- Valid uploads of a form that failed on another field, kept so the
-- applicant need not choose the files again. Swept after a day.
CREATE TABLE upload_stash (
    token         text NOT NULL,
    kind          text NOT NULL,
    filename      text NOT NULL,
    content_type  text NOT NULL,
    content       bytea NOT NULL,
    created_at    timestamptz NOT NULL,
    PRIMARY KEY (token, kind)
);

-- One-time links by which an invited user sets a first password.
CREATE TABLE invitations (
    id          bigserial PRIMARY KEY,
    user_id     bigint NOT NULL REFERENCES users (id),
    token_hash  text NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz
);
