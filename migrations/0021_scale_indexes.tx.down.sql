DROP INDEX payments_unallocated_idx;
CREATE INDEX payments_unallocated_idx ON payments (company_id) WHERE unallocated_cents > 0;
DROP INDEX invoices_open_idx;
DROP INDEX invoices_unpaid_idx;
CREATE INDEX invoices_unpaid_idx ON invoices (company_id, due_date) WHERE state = 'issued' AND paid_cents <> total_incl_cents;
DROP STATISTICS invoices_open_amount_stats;
