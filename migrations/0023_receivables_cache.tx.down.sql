DROP TRIGGER companies_receivables_changed ON companies;
DROP TRIGGER payments_receivables_changed ON payments;
DROP TRIGGER invoices_receivables_changed ON invoices;
DROP FUNCTION receivables_changed();
DROP INDEX orders_open_by_company_idx;
CREATE INDEX orders_open_by_company_idx ON orders (company_id) WHERE state = 'placed' AND status <> 'invoiced';
