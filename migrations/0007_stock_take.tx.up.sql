-- Order entry books reservations optimistically: it reads the stock without
-- locking it, works out in Go what each new demand takes from which
-- warehouse, and sends the takes with its last writes and its commit.
-- stock_take locks the rows taken from (in key order, so that two orders
-- cannot deadlock), books the takes if the stock is still free and nothing
-- of the products waits, and otherwise raises serialization_failure: the
-- order is then entered again, with the stock locked from the start.
-- Each (product, warehouse) pair appears once.
CREATE PROCEDURE stock_take(products bigint[], warehouses bigint[], quantities int[]) LANGUAGE plpgsql AS $$
DECLARE
    n int;
BEGIN
    PERFORM 1 FROM stock s
     WHERE (s.product_id, s.warehouse_id) IN (SELECT * FROM unnest(products, warehouses))
     ORDER BY s.product_id, s.warehouse_id FOR UPDATE;
    UPDATE stock s SET reserved = s.reserved + x.q
      FROM unnest(products, warehouses, quantities) AS x(p, w, q)
     WHERE s.product_id = x.p AND s.warehouse_id = x.w AND s.on_hand - s.reserved >= x.q;
    GET DIAGNOSTICS n = ROW_COUNT;
    IF n <> cardinality(products) OR EXISTS (
        SELECT 1 FROM demands d WHERE d.product_id = ANY(products) AND d.status = 'open' AND d.reserved < d.quantity) THEN
        RAISE EXCEPTION 'the stock of the order''s products changed while it was entered'
            USING ERRCODE = 'serialization_failure';
    END IF;
END;
$$;
