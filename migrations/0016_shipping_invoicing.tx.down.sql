DROP TABLE outbox_attachments;
DROP TABLE invoice_documents;
DROP TABLE invoice_lines;
DROP TABLE invoices;
DROP FUNCTION invoice_lines_on_draft();
DROP FUNCTION invoices_immutable();
DROP TABLE invoice_series;
DROP TABLE shipment_lines;
DROP TABLE shipments;
DROP INDEX orders_to_ship_idx;
DROP INDEX orders_open_by_company_idx;
ALTER TABLE orders DROP COLUMN ship_state, DROP COLUMN invoice_state, DROP COLUMN invoiced_cents,
    DROP COLUMN first_invoiced_at, DROP COLUMN prepayment_received_by, DROP COLUMN prepayment_received_at;
ALTER TABLE demands DROP COLUMN shipped;
ALTER TABLE order_lines DROP COLUMN shipped;
DROP TABLE closing_days;
DROP TABLE settings;
UPDATE users SET role = 'admin' WHERE role = 'finance';
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check
    CHECK (role IN ('admin', 'sales', 'account_manager', 'warehouse', 'customer'));
