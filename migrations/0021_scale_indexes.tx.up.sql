-- Issue 19: what the plans of the pages need on ten years of data
-- (cmd/wholesale/plans_test.go explains every statement of the pages).
--
-- Open items are read as "total_incl_cents - paid_cents <> 0" (any issued
-- document not settled: the credit check, AR aging, statements) and
-- "total_incl_cents - paid_cents > 0" (invoices not paid in full: overdue
-- counts, reminders, the bank's candidates). The planner cannot estimate
-- a comparison of two columns (it assumes a third, or all, of the rows
-- match, and reads the whole table); on the expression it reads these
-- statistics, which know that nearly all of ten years' invoices are paid.
CREATE STATISTICS invoices_open_amount_stats ON (total_incl_cents - paid_cents) FROM invoices;

--
-- The indexes carry the amounts, so that the reports read open items from
-- the index alone: ten years' open items lie scattered over the table,
-- and reading their rows took most of AR aging's time.
DROP INDEX invoices_unpaid_idx;
CREATE INDEX invoices_unpaid_idx ON invoices (company_id, due_date) INCLUDE (total_incl_cents, paid_cents)
    WHERE state = 'issued' AND total_incl_cents - paid_cents <> 0;
CREATE INDEX invoices_open_idx ON invoices (company_id, due_date) INCLUDE (total_incl_cents, paid_cents)
    WHERE state = 'issued' AND kind = 'invoice' AND total_incl_cents - paid_cents > 0;
DROP INDEX payments_unallocated_idx;
CREATE INDEX payments_unallocated_idx ON payments (company_id) INCLUDE (unallocated_cents) WHERE unallocated_cents > 0;

ANALYZE invoices; -- fills the statistics above

-- Back orders waiting for goods, as the back-order list and the home
-- pages' counts read them: a few hundred of ten years' demands. Estimated
-- as a comparison of two columns (a third of the table), the list joined
-- every product and customer by hash.
CREATE STATISTICS demands_waiting_stats ON (quantity - reserved) FROM demands;
CREATE INDEX demands_open_waiting_idx ON demands (product_id) WHERE status = 'open' AND quantity - reserved > 0;
ANALYZE demands;

-- The returns of an order, on the order's page.
CREATE INDEX returns_order_idx ON returns (order_id);

-- Product search matches the brand too (lower(brand) LIKE '%…%'): with a
-- trigram index on each of sku, name and brand it is a bitmap OR of them.
CREATE INDEX products_brand_trgm_idx ON products USING gin (lower(brand) gin_trgm_ops);
