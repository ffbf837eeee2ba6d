-- The authorised service centre of each brand, for warranty repairs.
CREATE TABLE service_centres (
    id        bigserial PRIMARY KEY,
    brand     text NOT NULL UNIQUE CHECK (btrim(brand) <> ''),
    name      text NOT NULL,
    address   text NOT NULL DEFAULT '',
    phone     text NOT NULL DEFAULT '',
    email     text NOT NULL DEFAULT '',
    web       text NOT NULL DEFAULT ''
);

CREATE TABLE products (
    id                bigserial PRIMARY KEY,
    sku               text NOT NULL CHECK (sku ~ '^[A-Z0-9][A-Z0-9._/-]{0,39}$'),
    name              text NOT NULL CHECK (btrim(name) <> ''),
    brand             text NOT NULL DEFAULT '',
    description       text NOT NULL DEFAULT '',
    unit_price_cents  bigint NOT NULL CHECK (unit_price_cents >= 0),
    vat_rate          integer NOT NULL CHECK (vat_rate IN (0, 9, 21)),
    ean               text NOT NULL DEFAULT '' CHECK (ean ~ '^([0-9]{8}|[0-9]{12,14})?$'),
    max_per_order     integer CHECK (max_per_order > 0),
    doa_returnable    boolean NOT NULL DEFAULT true,
    supply            text NOT NULL DEFAULT 'normal' CHECK (supply IN ('normal', 'discontinued', 'supplier_silent')),
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    CONSTRAINT products_sku_key UNIQUE (sku)
);
CREATE INDEX products_name_idx ON products (lower(name));

-- What a customer pays: a price per SKU, else the list price less the customer's discount.
ALTER TABLE companies ADD COLUMN discount_bp integer NOT NULL DEFAULT 0 CHECK (discount_bp BETWEEN 0 AND 10000);
CREATE TABLE customer_prices (
    company_id   bigint NOT NULL REFERENCES companies (id),
    product_id   bigint NOT NULL REFERENCES products (id),
    price_cents  bigint NOT NULL CHECK (price_cents >= 0),
    PRIMARY KEY (company_id, product_id)
);

CREATE TABLE warehouses (
    id          bigserial PRIMARY KEY,
    code        text NOT NULL UNIQUE CHECK (code ~ '^[A-Z0-9-]{1,16}$'),
    name        text NOT NULL,
    is_main     boolean NOT NULL DEFAULT false,
    -- Extra days before goods from here reach the customer.
    lead_days   integer NOT NULL DEFAULT 0 CHECK (lead_days >= 0)
);
CREATE UNIQUE INDEX warehouses_one_main ON warehouses (is_main) WHERE is_main;
INSERT INTO warehouses (code, name, is_main, lead_days) VALUES ('MAIN', 'Main warehouse', true, 0), ('REMOTE', 'Remote warehouse', false, 3);

-- Stock on hand and reserved per product per warehouse. Available = on_hand - reserved, never below zero.
CREATE TABLE stock (
    product_id    bigint NOT NULL REFERENCES products (id),
    warehouse_id  bigint NOT NULL REFERENCES warehouses (id),
    on_hand       integer NOT NULL DEFAULT 0 CHECK (on_hand >= 0),
    reserved      integer NOT NULL DEFAULT 0 CHECK (reserved >= 0),
    CHECK (reserved <= on_hand),
    PRIMARY KEY (product_id, warehouse_id)
);

CREATE TABLE suppliers (
    id    bigserial PRIMARY KEY,
    name  text NOT NULL UNIQUE
);

CREATE TABLE supplier_orders (
    id              bigserial PRIMARY KEY,
    supplier_id     bigint NOT NULL REFERENCES suppliers (id),
    reference       text NOT NULL DEFAULT '',
    expected_date   date NOT NULL,
    date_confirmed  boolean NOT NULL DEFAULT false,
    status          text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    created_at      timestamptz NOT NULL
);

CREATE TABLE supplier_order_lines (
    id                 bigserial PRIMARY KEY,
    supplier_order_id  bigint NOT NULL REFERENCES supplier_orders (id),
    product_id         bigint NOT NULL REFERENCES products (id),
    quantity           integer NOT NULL CHECK (quantity > 0),
    received           integer NOT NULL DEFAULT 0 CHECK (received >= 0)
);
CREATE INDEX supplier_order_lines_product_idx ON supplier_order_lines (product_id) WHERE received < quantity;

-- A demand is what one order line needs of a product: reserved from stock
-- as far as it goes, the rest waiting as a back order.
CREATE TABLE demands (
    id                  bigserial PRIMARY KEY,
    product_id          bigint NOT NULL REFERENCES products (id),
    company_id          bigint NOT NULL REFERENCES companies (id),
    reference           text NOT NULL,
    quantity            integer NOT NULL CHECK (quantity > 0),
    reserved            integer NOT NULL DEFAULT 0 CHECK (reserved >= 0 AND reserved <= quantity),
    placed_at           timestamptz NOT NULL,
    priority            boolean NOT NULL DEFAULT false,
    expected_date       date,
    expected_confirmed  boolean NOT NULL DEFAULT false,
    status              text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'cancelled', 'shipped'))
);
CREATE INDEX demands_waiting_idx ON demands (product_id, priority DESC, placed_at, id) WHERE status = 'open' AND reserved < quantity;
CREATE INDEX demands_company_idx ON demands (company_id);

CREATE TABLE demand_reservations (
    demand_id     bigint NOT NULL REFERENCES demands (id),
    warehouse_id  bigint NOT NULL REFERENCES warehouses (id),
    quantity      integer NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (demand_id, warehouse_id)
);
