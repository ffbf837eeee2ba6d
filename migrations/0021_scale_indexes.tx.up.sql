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
