-- A customer's purchase order, entered by its account manager. The order
-- number (id) is the reference everywhere.
CREATE TABLE orders (
    id                   bigserial PRIMARY KEY,
    company_id           bigint NOT NULL REFERENCES companies (id),
    po_reference         text NOT NULL CHECK (btrim(po_reference) <> ''),
    state                text NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'placed', 'cancelled')),
    status               text NOT NULL DEFAULT 'draft',
    prepayment           boolean NOT NULL DEFAULT false,
    credit_hold          text NOT NULL DEFAULT 'none' CHECK (credit_hold IN ('none', 'held', 'approved', 'rejected')),
    credit_note          text NOT NULL DEFAULT '',
    credit_reason        text NOT NULL DEFAULT '',
    confirmed_at         timestamptz,
    confirmed_by         bigint REFERENCES users (id),
    confirmation_kind    text CHECK (confirmation_kind IN ('portal', 'written')),
    confirmation_note    text NOT NULL DEFAULT '',
    confirmation_received_on date,
    confirmed_total_cents bigint,
    payment_reference    text,
    paid_cents           bigint NOT NULL DEFAULT 0,
    delivery_name        text NOT NULL DEFAULT '',
    delivery_street      text NOT NULL DEFAULT '',
    delivery_postcode    text NOT NULL DEFAULT '',
    delivery_city        text NOT NULL DEFAULT '',
    delivery_country     text NOT NULL DEFAULT 'NL',
    ship_complete        boolean NOT NULL DEFAULT false,
    shipping_method      text NOT NULL DEFAULT 'UPS',
    shipping_cents       bigint NOT NULL DEFAULT 0 CHECK (shipping_cents >= 0),
    note                 text NOT NULL DEFAULT '',
    vat_mode             text NOT NULL DEFAULT 'domestic' CHECK (vat_mode IN ('domestic', 'reverse_charge', 'export')),
    total_excl_cents     bigint NOT NULL DEFAULT 0,
    vat_cents            bigint NOT NULL DEFAULT 0,
    total_incl_cents     bigint NOT NULL DEFAULT 0,
    revision             integer NOT NULL DEFAULT 1,
    cancel_reason        text NOT NULL DEFAULT '',
    created_by           bigint NOT NULL REFERENCES users (id),
    created_at           timestamptz NOT NULL,
    placed_at            timestamptz,
    updated_at           timestamptz NOT NULL,
    CONSTRAINT orders_po_reference_key UNIQUE (company_id, po_reference)
);
CREATE INDEX orders_company_idx ON orders (company_id, id DESC);
CREATE INDEX orders_status_idx ON orders (status, id DESC);
CREATE INDEX orders_held_idx ON orders (id) WHERE credit_hold = 'held';

CREATE TABLE order_lines (
    id                bigserial PRIMARY KEY,
    order_id          bigint NOT NULL REFERENCES orders (id),
    line_no           integer NOT NULL,
    product_id        bigint NOT NULL REFERENCES products (id),
    quantity          integer NOT NULL CHECK (quantity > 0),
    unit_price_cents  bigint NOT NULL CHECK (unit_price_cents >= 0),
    vat_rate          integer NOT NULL CHECK (vat_rate IN (0, 9, 21)),
    demand_id         bigint REFERENCES demands (id),
    cancelled         boolean NOT NULL DEFAULT false,
    UNIQUE (order_id, line_no)
);
CREATE INDEX order_lines_order_idx ON order_lines (order_id);

-- Every amendment is a revision: who, when, what changed.
CREATE TABLE order_revisions (
    order_id    bigint NOT NULL REFERENCES orders (id),
    revision    integer NOT NULL,
    changed_by  bigint NOT NULL REFERENCES users (id),
    changed_at  timestamptz NOT NULL,
    summary     text NOT NULL,
    before      jsonb,
    after       jsonb,
    PRIMARY KEY (order_id, revision)
);

-- A written order confirmation may come with the mail or letter, uploaded.
ALTER TABLE documents ADD COLUMN order_id bigint REFERENCES orders (id);
ALTER TABLE documents DROP CONSTRAINT documents_check;
ALTER TABLE documents ADD CONSTRAINT documents_one_owner CHECK (num_nonnulls(application_id, change_request_id, order_id) = 1);
ALTER TABLE documents DROP CONSTRAINT documents_kind_check;
ALTER TABLE documents ADD CONSTRAINT documents_kind_check CHECK (kind IN ('vat_statement', 'kvk_extract', 'letterhead', 'signed_terms', 'confirmation', 'order_confirmation'));

-- Answers to API requests sent with an Idempotency-Key, replayed on retry.
CREATE TABLE idempotency_keys (
    user_id       bigint NOT NULL REFERENCES users (id),
    key           text NOT NULL,
    request_hash  text NOT NULL,
    status        integer,
    body          bytea,
    created_at    timestamptz NOT NULL,
    PRIMARY KEY (user_id, key)
);
