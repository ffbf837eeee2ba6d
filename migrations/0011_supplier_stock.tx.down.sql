ALTER TABLE stock DROP CONSTRAINT stock_on_hand_max;
ALTER TABLE products DROP CONSTRAINT products_max_per_order_max, DROP CONSTRAINT products_unit_price_max;
ALTER TABLE demands DROP COLUMN expected_from_supplier_stock;
DROP TABLE supplier_stock;
