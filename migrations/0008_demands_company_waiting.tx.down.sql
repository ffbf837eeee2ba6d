DROP INDEX IF EXISTS demands_company_waiting_idx;
CREATE INDEX IF NOT EXISTS demands_company_idx ON demands (company_id);
