-- Payments and receivables (issue 16).

-- A payment received from a customer: registered by finance, or booked
-- from a bank statement's credit line. What is not allocated to invoices
-- or prepayment orders stays on it (unallocated_cents): the customer's
-- balance, never lost.
CREATE TABLE payments (
    id                bigserial PRIMARY KEY,
    company_id        bigint NOT NULL REFERENCES companies (id),
    amount_cents      bigint NOT NULL CHECK (amount_cents > 0 AND amount_cents <= 100000000000),
    unallocated_cents bigint NOT NULL CHECK (unallocated_cents >= 0 AND unallocated_cents <= amount_cents),
    received_on       date NOT NULL,
    reference         text NOT NULL DEFAULT '' CHECK (char_length(reference) <= 140),
    counterparty_iban text NOT NULL DEFAULT '' CHECK (char_length(counterparty_iban) <= 34),
    counterparty_name text NOT NULL DEFAULT '' CHECK (char_length(counterparty_name) <= 140),
    source            text NOT NULL CHECK (source IN ('manual', 'bank')),
    created_by        bigint REFERENCES users (id),
    created_at        timestamptz NOT NULL
);
CREATE INDEX payments_company_idx ON payments (company_id, received_on DESC, id DESC);
CREATE INDEX payments_unallocated_idx ON payments (company_id) WHERE unallocated_cents > 0;

-- An allocation puts part of a payment, or of a credit note (a set-off),
-- on an invoice or a prepayment order. reason says why (a code the pages
-- name in the reader's language) and reason_detail with what (the
-- reference that matched). An undone allocation stays, marked undone,
-- with who and why.
CREATE TABLE allocations (
    id              bigserial PRIMARY KEY,
    company_id      bigint NOT NULL REFERENCES companies (id),
    payment_id      bigint REFERENCES payments (id),
    credit_note_id  bigint REFERENCES invoices (id),
    invoice_id      bigint REFERENCES invoices (id),
    order_id        bigint REFERENCES orders (id),
    amount_cents    bigint NOT NULL CHECK (amount_cents > 0),
    reason          text NOT NULL CHECK (reason IN ('oldest_first', 'chosen', 'payment_reference', 'invoice_number',
                        'amount_and_iban', 'order_reference', 'set_off', 'manual_match')),
    reason_detail   text NOT NULL DEFAULT '' CHECK (char_length(reason_detail) <= 200),
    created_by      bigint REFERENCES users (id),
    created_at      timestamptz NOT NULL,
    undone_at       timestamptz,
    undone_by       bigint REFERENCES users (id),
    undo_reason     text CHECK (char_length(undo_reason) <= 500),
    CONSTRAINT allocations_one_source CHECK (num_nonnulls(payment_id, credit_note_id) = 1),
    CONSTRAINT allocations_one_target CHECK (num_nonnulls(invoice_id, order_id) = 1),
    CONSTRAINT allocations_undone CHECK ((undone_at IS NULL) = (undo_reason IS NULL))
);
CREATE INDEX allocations_payment_idx ON allocations (payment_id) WHERE payment_id IS NOT NULL;
CREATE INDEX allocations_credit_note_idx ON allocations (credit_note_id) WHERE credit_note_id IS NOT NULL;
CREATE INDEX allocations_invoice_idx ON allocations (invoice_id) WHERE invoice_id IS NOT NULL;
CREATE INDEX allocations_order_idx ON allocations (order_id) WHERE order_id IS NOT NULL;
CREATE INDEX allocations_company_idx ON allocations (company_id, id DESC);

-- Bank statements (CAMT.053) as imported, and their entries. An entry is
-- known by its account and the bank's own reference (AcctSvcrRef): the
-- same statement imported twice books nothing twice.
CREATE TABLE bank_statements (
    id            bigserial PRIMARY KEY,
    version       text NOT NULL CHECK (version IN ('camt.053.001.02', 'camt.053.001.04', 'camt.053.001.08')),
    statement_ref text NOT NULL CHECK (char_length(statement_ref) <= 35),
    account_iban  text NOT NULL CHECK (char_length(account_iban) <= 34),
    filename      text NOT NULL DEFAULT '' CHECK (char_length(filename) <= 255),
    sha256        text NOT NULL,
    entries       integer NOT NULL,
    booked        integer NOT NULL,
    imported_by   bigint REFERENCES users (id),
    imported_at   timestamptz NOT NULL
);
CREATE TABLE bank_entries (
    id                bigserial PRIMARY KEY,
    statement_id      bigint NOT NULL REFERENCES bank_statements (id),
    account_iban      text NOT NULL,
    bank_ref          text NOT NULL CHECK (char_length(bank_ref) <= 80),
    booked_on         date NOT NULL,
    amount_cents      bigint NOT NULL CHECK (amount_cents > 0),
    credit            boolean NOT NULL,
    counterparty_name text NOT NULL DEFAULT '',
    counterparty_iban text NOT NULL DEFAULT '',
    structured_ref    text NOT NULL DEFAULT '',
    free_text         text NOT NULL DEFAULT '',
    end_to_end_id     text NOT NULL DEFAULT '',
    -- matched: booked as payment_id; open: a credit waiting for a person;
    -- ignored: a debit, or a credit a person set aside.
    state             text NOT NULL CHECK (state IN ('matched', 'open', 'ignored')),
    payment_id        bigint UNIQUE REFERENCES payments (id),
    match_reason      text NOT NULL DEFAULT '',
    match_detail      text NOT NULL DEFAULT '',
    CONSTRAINT bank_entries_key UNIQUE (account_iban, bank_ref)
);
CREATE INDEX bank_entries_open_idx ON bank_entries (booked_on, id) WHERE state = 'open';

-- Payment reminders: at most one of each level per invoice.
CREATE TABLE invoice_reminders (
    invoice_id  bigint NOT NULL REFERENCES invoices (id),
    level       integer NOT NULL CHECK (level IN (1, 2)),
    due_cents   bigint NOT NULL,
    sent_at     timestamptz NOT NULL,
    outbox_id   bigint REFERENCES outbox (id),
    PRIMARY KEY (invoice_id, level)
);
ALTER TABLE settings
    ADD COLUMN reminder_1_days integer NOT NULL DEFAULT 7 CHECK (reminder_1_days BETWEEN 1 AND 365),
    ADD COLUMN reminder_2_days integer NOT NULL DEFAULT 21 CHECK (reminder_2_days BETWEEN 2 AND 365),
    ADD CONSTRAINT settings_reminders_in_order CHECK (reminder_2_days > reminder_1_days);
