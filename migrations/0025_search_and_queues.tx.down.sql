DROP INDEX return_units_back_idx;
DROP INDEX orders_to_ship_idx;
CREATE INDEX orders_to_ship_idx ON orders (placed_at, id) WHERE state = 'placed' AND ship_state <> 'all';
DROP INDEX products_search_trgm_idx;
CREATE INDEX products_sku_trgm_idx ON products USING gin (lower(sku) gin_trgm_ops);
CREATE INDEX products_name_trgm_idx ON products USING gin (lower(name) gin_trgm_ops);
CREATE INDEX products_brand_trgm_idx ON products USING gin (lower(brand) gin_trgm_ops);
ALTER INDEX companies_name_trgm_idx RESET (gin_pending_list_limit);
ALTER INDEX orders_po_reference_trgm_idx RESET (gin_pending_list_limit);
