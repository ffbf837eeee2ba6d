-- Returns (issue 17): dead-on-arrival returns with RA numbers, tested on
-- arrival and settled with a replacement or a credit note; defects that
-- are no DOA go to the brand's authorised service centre.

-- How many days after approval a return parcel must have arrived.
ALTER TABLE settings ADD COLUMN ra_arrive_days integer NOT NULL DEFAULT 14 CHECK (ra_arrive_days BETWEEN 1 AND 90);

-- RA numbers are gapless per year, like invoice numbers: RA-2026-000123.
CREATE TABLE return_series (
    year         integer PRIMARY KEY,
    last_number  integer NOT NULL DEFAULT 0 CHECK (last_number >= 0)
);

-- A return asked for one line of one shipment. The receipt date is the
-- shipment's delivered date, or its ship date plus 2 working days when no
-- delivery was recorded (received_rule); the DOA window ends 45 days after
-- it, on the next working day when that is a weekend or holiday.
--
-- state: requested (waits for the account manager), approved (an RA is
-- issued; the parcel must arrive by arrive_by), received (the warehouse
-- has it), tested (every unit has its result), settled; or closed without
-- RA: referred (to the brand's service centre), rejected, cancelled.
CREATE TABLE returns (
    id                   bigserial PRIMARY KEY,
    company_id           bigint NOT NULL REFERENCES companies (id),
    order_id             bigint NOT NULL REFERENCES orders (id),
    order_line_id        bigint NOT NULL REFERENCES order_lines (id),
    shipment_id          bigint NOT NULL REFERENCES shipments (id),
    product_id           bigint NOT NULL REFERENCES products (id),
    quantity             integer NOT NULL CHECK (quantity BETWEEN 1 AND 10000),
    serials              text NOT NULL DEFAULT '' CHECK (char_length(serials) <= 2000),
    fault                text NOT NULL CHECK (char_length(fault) BETWEEN 1 AND 2000),
    doa                  boolean NOT NULL,
    remedy               text NOT NULL CHECK (remedy IN ('replacement', 'credit_note')),
    received_on          date NOT NULL,
    received_rule        text NOT NULL CHECK (received_rule IN ('delivered', 'shipped_plus_2')),
    window_ends          date NOT NULL,
    state                text NOT NULL CHECK (state IN ('requested', 'approved', 'received', 'tested', 'settled',
                             'referred', 'rejected', 'cancelled')),
    -- Why a return has no RA (referred), or why it was turned down.
    closed_reason        text NOT NULL DEFAULT '' CHECK (closed_reason IN ('', 'not_doa', 'window', 'not_returnable',
                             'rejected', 'cancelled')),
    closed_note          text NOT NULL DEFAULT '' CHECK (char_length(closed_note) <= 2000),
    service_centre       jsonb,
    ra_number            text UNIQUE,
    ra_year              integer,
    ra_seq               integer,
    arrive_by            date,
    approved_by          bigint REFERENCES users (id),
    approved_at          timestamptz,
    parcel_received_at   timestamptz,
    parcel_received_by   bigint REFERENCES users (id),
    tested_at            timestamptz,
    settlement           text CHECK (settlement IN ('replacement', 'credit_note', 'sent_back')),
    good_units           text CHECK (good_units IN ('sent_back', 'restocked')),
    settle_note          text NOT NULL DEFAULT '' CHECK (char_length(settle_note) <= 2000),
    replacement_order_id bigint REFERENCES orders (id),
    credit_note_id       bigint REFERENCES invoices (id),
    settled_by           bigint REFERENCES users (id),
    settled_at           timestamptz,
    -- Units that go back to the customer (no fault found, or damaged by
    -- the customer) leave with a carrier, as a shipment does.
    back_carrier         text CHECK (back_carrier IN ('UPS', 'DHL', 'PostNL', 'own')),
    back_tracking        text NOT NULL DEFAULT '' CHECK (char_length(back_tracking) <= 40),
    back_tracking_url    text NOT NULL DEFAULT '' CHECK (char_length(back_tracking_url) <= 300),
    sent_back_at         timestamptz,
    sent_back_by         bigint REFERENCES users (id),
    created_by           bigint NOT NULL REFERENCES users (id),
    created_at           timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL,
    CONSTRAINT returns_ra_when_approved CHECK (CASE WHEN state IN ('requested', 'referred', 'rejected') THEN ra_number IS NULL
        WHEN state = 'cancelled' THEN true ELSE ra_number IS NOT NULL END),
    CONSTRAINT returns_ra_complete CHECK (ra_number IS NULL OR (ra_year IS NOT NULL AND ra_seq IS NOT NULL
        AND arrive_by IS NOT NULL AND approved_at IS NOT NULL)),
    CONSTRAINT returns_ra_seq_key UNIQUE (ra_year, ra_seq),
    CONSTRAINT returns_referred_centre CHECK (state <> 'referred' OR closed_reason IN ('not_doa', 'window', 'not_returnable')),
    CONSTRAINT returns_settled CHECK ((state = 'settled') = (settlement IS NOT NULL)),
    CONSTRAINT returns_sent_back CHECK ((sent_back_at IS NULL) = (back_carrier IS NULL) AND (sent_back_at IS NULL OR state = 'settled'))
);
CREATE INDEX returns_company_idx ON returns (company_id, id DESC);
CREATE INDEX returns_open_idx ON returns (state, created_at) WHERE state IN ('requested', 'approved', 'received', 'tested');
CREATE INDEX returns_to_send_back_idx ON returns (settled_at, id) WHERE state = 'settled' AND sent_back_at IS NULL;
CREATE INDEX returns_shipment_line_idx ON returns (shipment_id, order_line_id);

-- Each unit of a return that arrived, with its serial number and test.
-- disposition: where the unit went when the return was settled: back into
-- stock, into quarantine (defective, kept with its RA), or back to the customer.
CREATE TABLE return_units (
    return_id    bigint NOT NULL REFERENCES returns (id),
    unit_no      integer NOT NULL CHECK (unit_no > 0),
    serial       text NOT NULL DEFAULT '' CHECK (char_length(serial) <= 100),
    result       text CHECK (result IN ('fault_confirmed', 'no_fault_found', 'damaged_by_customer')),
    note         text NOT NULL DEFAULT '' CHECK (char_length(note) <= 2000),
    tested_by    bigint REFERENCES users (id),
    tested_at    timestamptz,
    disposition  text CHECK (disposition IN ('stock', 'quarantine', 'customer')),
    PRIMARY KEY (return_id, unit_no),
    CONSTRAINT return_units_tested CHECK ((result IS NULL) = (tested_at IS NULL))
);
CREATE INDEX return_units_quarantine_idx ON return_units (return_id) WHERE disposition = 'quarantine';

-- The return form lists a customer's shipped lines, latest first.
CREATE INDEX shipments_company_idx ON shipments (company_id, shipped_on DESC, id DESC);

-- A replacement is a zero-priced order that replaces goods of a return.
ALTER TABLE orders ADD COLUMN return_id bigint REFERENCES returns (id);
ALTER TABLE orders DROP CONSTRAINT orders_confirmation_kind_check;
ALTER TABLE orders ADD CONSTRAINT orders_confirmation_kind_check CHECK (confirmation_kind IN ('portal', 'written', 'replacement'));
CREATE UNIQUE INDEX orders_return_idx ON orders (return_id) WHERE return_id IS NOT NULL;
