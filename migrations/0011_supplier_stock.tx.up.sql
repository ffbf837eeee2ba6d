-- What our supplier holds of a product in its own warehouse and in how many
-- calendar days it delivers from there (seed 003: "Varene bestilles fra vår
-- leverandørs lager"), as the supplier-stock import sets it.
CREATE TABLE supplier_stock (
    product_id  bigint PRIMARY KEY REFERENCES products (id),
    quantity    integer NOT NULL CHECK (quantity BETWEEN 0 AND 1000000000),
    lead_days   integer NOT NULL CHECK (lead_days BETWEEN 1 AND 365),
    updated_at  timestamptz NOT NULL
);

-- A waiting line's expected date came from the supplier's stock (the day it
-- was covered plus the lead time); it keeps that date while it stays covered.
ALTER TABLE demands ADD COLUMN expected_from_supplier_stock boolean NOT NULL DEFAULT false;

-- The bounds the product and stock imports check, as a backstop: a list
-- price of at most € 1.000.000,00, a maximum per order of at most 1,000,000
-- pieces, stock of at most 1,000,000,000 pieces per warehouse.
ALTER TABLE products
    ADD CONSTRAINT products_unit_price_max CHECK (unit_price_cents <= 100000000),
    ADD CONSTRAINT products_max_per_order_max CHECK (max_per_order <= 1000000);
ALTER TABLE stock ADD CONSTRAINT stock_on_hand_max CHECK (on_hand <= 1000000000);
