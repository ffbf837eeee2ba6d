-- Issue 19: the credit position and AR aging on ten years of data.
--
-- A customer's open orders (placed, not yet invoiced) carry what the
-- credit position sums, so that it reads them from the index alone: the
-- busiest customer's 486 open orders lay on 371 pages of the table.
DROP INDEX orders_open_by_company_idx;
CREATE INDEX orders_open_by_company_idx ON orders (company_id) INCLUDE (id, total_incl_cents, invoiced_cents, credit_hold)
    WHERE state = 'placed' AND status <> 'invoiced';

-- Every change of what AR aging sums (invoices, payments, and the
-- customers' names and account managers) tells the app servers, which
-- keep the report in memory until then (receivables.AgingCache). A
-- notification is sent when the transaction commits, once however many
-- statements sent it, and never when it rolls back.
CREATE FUNCTION receivables_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('receivables_changed', '');
    RETURN NULL;
END
$$;
CREATE TRIGGER invoices_receivables_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON invoices
    FOR EACH STATEMENT EXECUTE FUNCTION receivables_changed();
CREATE TRIGGER payments_receivables_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON payments
    FOR EACH STATEMENT EXECUTE FUNCTION receivables_changed();
CREATE TRIGGER companies_receivables_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON companies
    FOR EACH STATEMENT EXECUTE FUNCTION receivables_changed();
