DROP TRIGGER order_lines_keep_placed_orders_lined ON order_lines;
DROP TRIGGER orders_placed_have_lines ON orders;
DROP FUNCTION orders_placed_have_lines();
ALTER TABLE order_lines DROP CONSTRAINT order_lines_quantity_max;
ALTER TABLE orders
    DROP CONSTRAINT orders_po_reference_length,
    DROP CONSTRAINT orders_note_length,
    DROP CONSTRAINT orders_credit_note_length,
    DROP CONSTRAINT orders_confirmation_note_length,
    DROP CONSTRAINT orders_cancel_reason_length,
    DROP CONSTRAINT orders_shipping_cents_max,
    DROP CONSTRAINT orders_shipping_method_check;
DELETE FROM idempotency_keys;
ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_one_answer, DROP CONSTRAINT idempotency_keys_key_check,
    DROP COLUMN result, DROP COLUMN error, ADD COLUMN status integer, ADD COLUMN body bytea;
