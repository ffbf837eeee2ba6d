CREATE OR REPLACE PROCEDURE stock_take(products bigint[], warehouses bigint[], quantities int[]) LANGUAGE plpgsql AS $$
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
