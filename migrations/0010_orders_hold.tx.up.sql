-- Order entry that holds (issue 11).

-- The answers of API requests sent with an Idempotency-Key are kept by the
-- use case layer as the use case's result (an order) or its refusal, no
-- longer as an HTTP status and body. Keys serve retries within minutes:
-- those of the old form are dropped.
DELETE FROM idempotency_keys;
ALTER TABLE idempotency_keys DROP COLUMN status, DROP COLUMN body,
    ADD COLUMN result jsonb, ADD COLUMN error jsonb,
    ADD CONSTRAINT idempotency_keys_one_answer CHECK (num_nonnulls(result, error) <= 1),
    ADD CONSTRAINT idempotency_keys_key_check CHECK (char_length(key) BETWEEN 1 AND 200);

-- The input limits of the orders area (orders.Input.Validate), as backstop.
ALTER TABLE orders
    ADD CONSTRAINT orders_po_reference_length CHECK (char_length(po_reference) <= 35),
    ADD CONSTRAINT orders_note_length CHECK (char_length(note) <= 2000),
    ADD CONSTRAINT orders_credit_note_length CHECK (char_length(credit_note) <= 2000),
    ADD CONSTRAINT orders_confirmation_note_length CHECK (char_length(confirmation_note) <= 2000),
    ADD CONSTRAINT orders_cancel_reason_length CHECK (char_length(cancel_reason) <= 2100),
    ADD CONSTRAINT orders_shipping_cents_max CHECK (shipping_cents <= 1000000000),
    ADD CONSTRAINT orders_shipping_method_check CHECK (shipping_method IN ('UPS', 'UPS Express', 'Pallet (freight)', 'Collect'));
ALTER TABLE order_lines
    ADD CONSTRAINT order_lines_quantity_max CHECK (quantity <= 1000000);

-- An order is never placed without a line: checked at commit, when the
-- order and its lines are written, for the order that is placed and for a
-- line that is cancelled or removed.
CREATE FUNCTION orders_placed_have_lines() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    oid bigint;
BEGIN
    IF TG_TABLE_NAME = 'orders' THEN
        oid := NEW.id;
    ELSE
        oid := OLD.order_id;
    END IF;
    IF EXISTS (SELECT 1 FROM orders o WHERE o.id = oid AND o.state = 'placed')
       AND NOT EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = oid AND NOT l.cancelled) THEN
        RAISE EXCEPTION 'order % is placed without a line', oid
            USING ERRCODE = 'check_violation', CONSTRAINT = 'orders_placed_have_lines';
    END IF;
    RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER orders_placed_have_lines AFTER INSERT OR UPDATE OF state ON orders
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.state = 'placed')
    EXECUTE FUNCTION orders_placed_have_lines();
CREATE CONSTRAINT TRIGGER order_lines_keep_placed_orders_lined AFTER UPDATE OF cancelled OR DELETE ON order_lines
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    EXECUTE FUNCTION orders_placed_have_lines();
