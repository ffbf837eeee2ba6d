-- A waiting back-order line remembers the first expected date it was given
-- (the date promised to the customer) and when its expected date last
-- moved: a line whose date differs from the promised one is on its account
-- manager's home page until the customer is told (the promise follows) or
-- the goods arrive.
ALTER TABLE demands
    ADD COLUMN promised_date date,
    ADD COLUMN expected_moved_at timestamptz;
UPDATE demands SET promised_date = expected_date
WHERE status = 'open' AND reserved < quantity AND expected_date IS NOT NULL;

-- The staff's search box finds orders by PO reference, customers by name
-- and products by SKU or name by any part of them, and products by EAN.
-- Trigram indexes (pg_trgm, in PostgreSQL's contrib, trusted since 13) serve
-- the searches' ILIKE (and LIKE on lower()) with a pattern of any part.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX orders_po_reference_trgm_idx ON orders USING gin (po_reference gin_trgm_ops);
CREATE INDEX companies_name_trgm_idx ON companies USING gin (name gin_trgm_ops);
CREATE INDEX products_sku_trgm_idx ON products USING gin (lower(sku) gin_trgm_ops);
CREATE INDEX products_name_trgm_idx ON products USING gin (lower(name) gin_trgm_ops);
CREATE INDEX products_ean_idx ON products (ean) WHERE ean <> '';

-- The customer list pages by name.
CREATE INDEX companies_name_id_idx ON companies (name, id);
