-- pg_trgm stays installed: other objects of the database may use it.
DROP INDEX companies_name_id_idx;
DROP INDEX products_ean_idx;
DROP INDEX products_name_trgm_idx;
DROP INDEX products_sku_trgm_idx;
DROP INDEX companies_name_trgm_idx;
DROP INDEX orders_po_reference_trgm_idx;
ALTER TABLE demands DROP COLUMN expected_moved_at, DROP COLUMN promised_date;
