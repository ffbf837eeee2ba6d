-- Complaints (issue 18): the complaints log of seed 001.

-- The customer service manager keeps the log and assigns investigators;
-- the board answers escalations.
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check
    CHECK (role IN ('admin', 'sales', 'account_manager', 'warehouse', 'finance', 'customer_service', 'board', 'customer'));

-- A complaint, received on a day (Amsterdam). Its order is its reference
-- (seed 001) when it concerns one. The deadlines are stored as computed
-- at receipt (complaints.DeadlinesOf), so lists sort and filter on them.
CREATE TABLE complaints (
    id                 bigserial PRIMARY KEY,
    company_id         bigint NOT NULL REFERENCES companies (id),
    order_id           bigint REFERENCES orders (id),
    channel            text NOT NULL CHECK (channel IN ('portal', 'phone', 'mail')),
    contact_name       text NOT NULL CHECK (char_length(contact_name) BETWEEN 1 AND 200),
    contact_email      text NOT NULL DEFAULT '' CHECK (char_length(contact_email) <= 254),
    contact_phone      text NOT NULL DEFAULT '' CHECK (char_length(contact_phone) <= 50),
    description        text NOT NULL CHECK (char_length(description) BETWEEN 1 AND 5000),
    state              text NOT NULL DEFAULT 'received'
                           CHECK (state IN ('received', 'acknowledged', 'resolved', 'escalated', 'closed')),
    received_at        timestamptz NOT NULL,
    received_on        date NOT NULL,
    ack_due            date NOT NULL,
    flag_on            date NOT NULL,
    resolve_due        date NOT NULL,
    handler_id         bigint REFERENCES users (id),
    investigator_id    bigint REFERENCES users (id),
    acknowledged_at    timestamptz,
    answer_expected_on date,
    progress_sent_at   timestamptz,
    answer_by          date,
    outcome            text CHECK (outcome IN ('refund', 'exchange', 'repair', 'apology', 'none')),
    explanation        text NOT NULL DEFAULT '' CHECK (char_length(explanation) <= 10000),
    credit_note_id     bigint REFERENCES invoices (id),
    replacement_order_id bigint REFERENCES orders (id),
    resolved_at        timestamptz,
    escalated_at       timestamptz,
    escalation_reason  text NOT NULL DEFAULT '' CHECK (char_length(escalation_reason) <= 5000),
    board_due          date,
    board_answer       text NOT NULL DEFAULT '' CHECK (char_length(board_answer) <= 10000),
    board_answered_at  timestamptz,
    created_by         bigint NOT NULL REFERENCES users (id),
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL,
    CONSTRAINT complaints_acknowledged CHECK (state = 'received' OR (acknowledged_at IS NOT NULL AND handler_id IS NOT NULL)),
    CONSTRAINT complaints_resolved CHECK (state IN ('received', 'acknowledged') OR (outcome IS NOT NULL AND resolved_at IS NOT NULL)),
    CONSTRAINT complaints_escalated CHECK (state NOT IN ('escalated', 'closed') OR (escalated_at IS NOT NULL AND board_due IS NOT NULL)),
    CONSTRAINT complaints_closed CHECK (state <> 'closed' OR board_answered_at IS NOT NULL)
);
CREATE INDEX complaints_company_idx ON complaints (company_id, id DESC);
CREATE INDEX complaints_open_idx ON complaints (state, received_on) WHERE state IN ('received', 'acknowledged', 'escalated');
CREATE INDEX complaints_order_idx ON complaints (order_id) WHERE order_id IS NOT NULL;

-- Investigation notes: internal, never shown or sent to the customer.
CREATE TABLE complaint_notes (
    id            bigserial PRIMARY KEY,
    complaint_id  bigint NOT NULL REFERENCES complaints (id),
    body          text NOT NULL CHECK (char_length(body) BETWEEN 1 AND 5000),
    created_by    bigint NOT NULL REFERENCES users (id),
    created_at    timestamptz NOT NULL
);
CREATE INDEX complaint_notes_complaint_idx ON complaint_notes (complaint_id, id);

-- Attachments, under the upload rules of applications (the blobs store):
-- PDF, PNG or JPEG by their content, at most 10 MB each, a stored file
-- name of 1 to 200 characters; at most 20 a complaint
-- (complaints.MaxDocuments), counted by the service.
CREATE TABLE complaint_documents (
    id            bigserial PRIMARY KEY,
    complaint_id  bigint NOT NULL REFERENCES complaints (id),
    filename      text NOT NULL CHECK (char_length(filename) BETWEEN 1 AND 200),
    content_type  text NOT NULL CHECK (content_type IN ('application/pdf', 'image/png', 'image/jpeg')),
    size          bigint NOT NULL CHECK (size BETWEEN 1 AND 10485760),
    sha256        text NOT NULL REFERENCES blobs (sha256),
    uploaded_at   timestamptz NOT NULL,
    uploaded_by   bigint NOT NULL REFERENCES users (id)
);
CREATE INDEX complaint_documents_complaint_idx ON complaint_documents (complaint_id, id);

-- An exchange settles a complaint with a zero-priced replacement order,
-- as a return's replacement does.
ALTER TABLE orders ADD COLUMN complaint_id bigint REFERENCES complaints (id),
    ADD CONSTRAINT orders_replaces_one CHECK (num_nonnulls(return_id, complaint_id) <= 1);
CREATE UNIQUE INDEX orders_complaint_idx ON orders (complaint_id) WHERE complaint_id IS NOT NULL;
