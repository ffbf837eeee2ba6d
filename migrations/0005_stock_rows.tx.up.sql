-- Every product has a stock row in every warehouse, made when the product
-- or the warehouse is made. Order entry can then lock the rows it reserves
-- from without first trying to insert them.
INSERT INTO stock (product_id, warehouse_id)
SELECT p.id, w.id FROM products p CROSS JOIN warehouses w
ON CONFLICT DO NOTHING;

CREATE FUNCTION stock_rows_for_product() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO stock (product_id, warehouse_id) SELECT NEW.id, w.id FROM warehouses w ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;

CREATE FUNCTION stock_rows_for_warehouse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO stock (product_id, warehouse_id) SELECT p.id, NEW.id FROM products p ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;

CREATE TRIGGER products_stock_rows AFTER INSERT ON products FOR EACH ROW EXECUTE FUNCTION stock_rows_for_product();
CREATE TRIGGER warehouses_stock_rows AFTER INSERT ON warehouses FOR EACH ROW EXECUTE FUNCTION stock_rows_for_warehouse();
