-- Demands are looked up by customer only for its waiting ones (the back-order
-- overview and the portal). Most demands are served at once; indexing only
-- the waiting ones saves order entry an index entry per line.
DROP INDEX demands_company_idx;
CREATE INDEX demands_company_waiting_idx ON demands (company_id) WHERE status = 'open' AND reserved < quantity;
