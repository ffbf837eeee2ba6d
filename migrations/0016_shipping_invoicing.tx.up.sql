-- Shipping and invoicing (issue 14).

-- Finance runs the invoicing and, later, payments.
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check
    CHECK (role IN ('admin', 'sales', 'account_manager', 'warehouse', 'finance', 'customer'));

-- The wholesaler's own details, printed on every invoice, and the daily
-- invoicing cutoff. One row; admins edit it. An invoice keeps a copy of
-- the details as they were when it was issued.
CREATE TABLE settings (
    id           boolean PRIMARY KEY DEFAULT true CHECK (id),
    name         text NOT NULL DEFAULT '' CHECK (char_length(name) <= 100),
    street       text NOT NULL DEFAULT '' CHECK (char_length(street) <= 100),
    postcode     text NOT NULL DEFAULT '' CHECK (char_length(postcode) <= 20),
    city         text NOT NULL DEFAULT '' CHECK (char_length(city) <= 100),
    country      text NOT NULL DEFAULT 'NL' CHECK (country ~ '^[A-Z]{2}$'),
    vat_id       text NOT NULL DEFAULT '' CHECK (char_length(vat_id) <= 20),
    kvk          text NOT NULL DEFAULT '' CHECK (kvk ~ '^([0-9]{8})?$'),
    iban         text NOT NULL DEFAULT '' CHECK (char_length(iban) <= 34),
    bic          text NOT NULL DEFAULT '' CHECK (char_length(bic) <= 11),
    email        text NOT NULL DEFAULT '' CHECK (char_length(email) <= 254),
    phone        text NOT NULL DEFAULT '' CHECK (char_length(phone) <= 30),
    website      text NOT NULL DEFAULT '' CHECK (char_length(website) <= 100),
    cutoff_minutes integer NOT NULL DEFAULT 1020 CHECK (cutoff_minutes BETWEEN 0 AND 1439),
    updated_at   timestamptz,
    updated_by   bigint REFERENCES users (id)
);
INSERT INTO settings DEFAULT VALUES;

-- The company's own closing days (e.g. between Christmas and New Year):
-- no invoicing cutoff on them. They never shorten a customer's deadline.
CREATE TABLE closing_days (
    day         date PRIMARY KEY,
    reason      text NOT NULL CHECK (char_length(reason) BETWEEN 1 AND 200),
    created_by  bigint NOT NULL REFERENCES users (id),
    created_at  timestamptz NOT NULL
);

-- Shipping: what of a line has left the warehouse.
ALTER TABLE order_lines ADD COLUMN shipped integer NOT NULL DEFAULT 0,
    ADD CONSTRAINT order_lines_shipped_check CHECK (shipped >= 0 AND shipped <= quantity);
ALTER TABLE demands ADD COLUMN shipped integer NOT NULL DEFAULT 0,
    ADD CONSTRAINT demands_shipped_check CHECK (shipped >= 0 AND shipped <= reserved);

-- ship_state: none, partly or all of the order's live lines shipped.
-- invoice_state: none; draft (shipped goods wait on a draft invoice);
-- issued (everything shipped is on issued invoices). invoiced_cents is
-- the order's part (incl. VAT) of issued invoices, for the credit check.
ALTER TABLE orders
    ADD COLUMN ship_state text NOT NULL DEFAULT 'none' CHECK (ship_state IN ('none', 'partly', 'all')),
    ADD COLUMN invoice_state text NOT NULL DEFAULT 'none' CHECK (invoice_state IN ('none', 'draft', 'issued')),
    ADD COLUMN invoiced_cents bigint NOT NULL DEFAULT 0,
    ADD COLUMN first_invoiced_at timestamptz,
    ADD COLUMN prepayment_received_by bigint REFERENCES users (id),
    ADD COLUMN prepayment_received_at timestamptz;
CREATE INDEX orders_to_ship_idx ON orders (placed_at, id) WHERE state = 'placed' AND ship_state <> 'all';

CREATE TABLE shipments (
    id               bigserial PRIMARY KEY,
    order_id         bigint NOT NULL REFERENCES orders (id),
    company_id       bigint NOT NULL REFERENCES companies (id),
    carrier          text NOT NULL CHECK (carrier IN ('UPS', 'DHL', 'PostNL', 'own')),
    tracking_number  text NOT NULL DEFAULT '' CHECK (char_length(tracking_number) <= 40),
    tracking_url     text NOT NULL DEFAULT '' CHECK (char_length(tracking_url) <= 300),
    shipped_on       date NOT NULL,
    delivered_on     date CHECK (delivered_on >= shipped_on),
    created_by       bigint NOT NULL REFERENCES users (id),
    created_at       timestamptz NOT NULL,
    CONSTRAINT shipments_tracked CHECK (carrier = 'own' OR tracking_number <> '')
);
CREATE INDEX shipments_order_idx ON shipments (order_id);

CREATE TABLE shipment_lines (
    shipment_id    bigint NOT NULL REFERENCES shipments (id),
    order_line_id  bigint NOT NULL REFERENCES order_lines (id),
    quantity       integer NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (shipment_id, order_line_id)
);

-- Invoices and credit notes. A draft collects a customer's shipped lines
-- of one business day; the cutoff of that day issues it: it gets the next
-- number of its series, its dates and its documents, and never changes
-- again. A credit note is issued at once.
CREATE TABLE invoice_series (
    kind         text NOT NULL CHECK (kind IN ('invoice', 'credit_note')),
    year         integer NOT NULL,
    last_number  integer NOT NULL DEFAULT 0 CHECK (last_number >= 0),
    PRIMARY KEY (kind, year)
);

CREATE TABLE invoices (
    id                  bigserial PRIMARY KEY,
    kind                text NOT NULL DEFAULT 'invoice' CHECK (kind IN ('invoice', 'credit_note')),
    company_id          bigint NOT NULL REFERENCES companies (id),
    state               text NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'issued')),
    business_day        date NOT NULL,
    number              text UNIQUE,
    year                integer,
    seq                 integer,
    issue_date          date,
    supply_date         date,
    due_date            date,
    language            text NOT NULL CHECK (language IN ('nl', 'en')),
    vat_mode            text NOT NULL CHECK (vat_mode IN ('domestic', 'reverse_charge', 'export')),
    seller              jsonb,
    buyer               jsonb,
    payment_reference   text,
    credits_invoice_id  bigint REFERENCES invoices (id),
    reason              text NOT NULL DEFAULT '' CHECK (char_length(reason) <= 2000),
    total_excl_cents    bigint NOT NULL DEFAULT 0,
    vat_cents           bigint NOT NULL DEFAULT 0,
    total_incl_cents    bigint NOT NULL DEFAULT 0,
    per_rate            jsonb,
    prepaid_cents       bigint NOT NULL DEFAULT 0,
    paid_cents          bigint NOT NULL DEFAULT 0,
    issued_at           timestamptz,
    issued_by           bigint REFERENCES users (id),
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    CONSTRAINT invoices_numbered_when_issued CHECK ((state = 'issued') = (number IS NOT NULL)),
    CONSTRAINT invoices_issued_complete CHECK (state = 'draft' OR (year IS NOT NULL AND seq IS NOT NULL
        AND issue_date IS NOT NULL AND supply_date IS NOT NULL AND due_date IS NOT NULL
        AND seller IS NOT NULL AND buyer IS NOT NULL AND payment_reference IS NOT NULL AND issued_at IS NOT NULL)),
    CONSTRAINT invoices_credit_note_refers CHECK ((kind = 'credit_note') = (credits_invoice_id IS NOT NULL)),
    CONSTRAINT invoices_seq_key UNIQUE (kind, year, seq)
);
CREATE UNIQUE INDEX invoices_draft_of_day ON invoices (company_id, business_day, vat_mode) WHERE state = 'draft' AND kind = 'invoice';
CREATE INDEX invoices_drafts_idx ON invoices (business_day, id) WHERE state = 'draft';
CREATE INDEX invoices_company_idx ON invoices (company_id, id DESC);
CREATE INDEX invoices_issue_date_idx ON invoices (issue_date, id) WHERE state = 'issued';
CREATE INDEX invoices_unpaid_idx ON invoices (company_id, due_date) WHERE state = 'issued' AND paid_cents <> total_incl_cents;

CREATE TABLE invoice_lines (
    invoice_id        bigint NOT NULL REFERENCES invoices (id),
    line_no           integer NOT NULL CHECK (line_no > 0),
    order_id          bigint NOT NULL REFERENCES orders (id),
    order_line_id     bigint REFERENCES order_lines (id),
    shipment_id       bigint REFERENCES shipments (id),
    credits_line_no   integer,
    sku               text NOT NULL,
    description       text NOT NULL,
    quantity          integer NOT NULL CHECK (quantity <> 0),
    unit_price_cents  bigint NOT NULL CHECK (unit_price_cents >= 0),
    vat_rate          integer NOT NULL CHECK (vat_rate IN (0, 9, 21)),
    amount_cents      bigint NOT NULL,
    PRIMARY KEY (invoice_id, line_no)
);
CREATE INDEX invoice_lines_order_idx ON invoice_lines (order_id);

-- The documents of an issued invoice, made when it is issued (the
-- original, mailed) and at the first download (the copy, marked KOPIE or
-- COPY). Every download of a copy shows the same bytes.
CREATE TABLE invoice_documents (
    id            bigserial PRIMARY KEY,
    invoice_id    bigint NOT NULL REFERENCES invoices (id),
    format        text NOT NULL CHECK (format IN ('pdf', 'xlsx')),
    copy          boolean NOT NULL,
    content       bytea NOT NULL,
    created_at    timestamptz NOT NULL,
    CONSTRAINT invoice_documents_key UNIQUE (invoice_id, format, copy)
);
-- PDF and .xlsx are compressed already: stored out of line as they are,
-- without PostgreSQL trying to compress them again.
ALTER TABLE invoice_documents ALTER COLUMN content SET STORAGE EXTERNAL;

-- An issued invoice, its lines and its documents never change; only what
-- is paid of it may (payments, a later issue).
CREATE FUNCTION invoices_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'invoices' THEN
        IF OLD.state = 'issued' AND (TG_OP = 'DELETE' OR
           (to_jsonb(NEW) - 'paid_cents' - 'updated_at') <> (to_jsonb(OLD) - 'paid_cents' - 'updated_at')) THEN
            RAISE EXCEPTION 'invoice % is issued and cannot change', OLD.number
                USING ERRCODE = 'check_violation', CONSTRAINT = 'invoices_immutable';
        END IF;
    ELSIF TG_TABLE_NAME = 'invoice_documents' THEN
        RAISE EXCEPTION 'invoice documents cannot change'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'invoices_immutable';
    ELSIF EXISTS (SELECT 1 FROM invoices i WHERE i.id = OLD.invoice_id AND i.state = 'issued') THEN
        RAISE EXCEPTION 'lines of an issued invoice cannot change'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'invoices_immutable';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER invoices_immutable BEFORE UPDATE OR DELETE ON invoices
    FOR EACH ROW EXECUTE FUNCTION invoices_immutable();
CREATE TRIGGER invoice_lines_immutable BEFORE UPDATE OR DELETE ON invoice_lines
    FOR EACH ROW EXECUTE FUNCTION invoices_immutable();
CREATE TRIGGER invoice_documents_immutable BEFORE UPDATE OR DELETE ON invoice_documents
    FOR EACH ROW EXECUTE FUNCTION invoices_immutable();
-- Lines are added to an issued invoice never: checked on insert too.
CREATE FUNCTION invoice_lines_on_draft() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM invoices i WHERE i.id = NEW.invoice_id AND i.state = 'issued' AND i.kind = 'invoice') THEN
        RAISE EXCEPTION 'lines of an issued invoice cannot change'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'invoices_immutable';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER invoice_lines_on_draft BEFORE INSERT ON invoice_lines
    FOR EACH ROW EXECUTE FUNCTION invoice_lines_on_draft();

-- Mail attachments: an invoice's documents by reference, or bytes.
CREATE TABLE outbox_attachments (
    outbox_id    bigint NOT NULL REFERENCES outbox (id),
    position     integer NOT NULL,
    filename     text NOT NULL,
    content_type text NOT NULL,
    document_id  bigint REFERENCES invoice_documents (id),
    content      bytea,
    PRIMARY KEY (outbox_id, position),
    CONSTRAINT outbox_attachments_one_source CHECK (num_nonnulls(document_id, content) = 1)
);

-- The credit check sums a customer's orders not yet wholly invoiced.
CREATE INDEX orders_open_by_company_idx ON orders (company_id) WHERE state = 'placed' AND status <> 'invoiced';
