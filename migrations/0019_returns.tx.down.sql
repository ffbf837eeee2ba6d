DROP INDEX shipments_company_idx;
ALTER TABLE orders DROP COLUMN return_id;
ALTER TABLE orders DROP CONSTRAINT orders_confirmation_kind_check;
ALTER TABLE orders ADD CONSTRAINT orders_confirmation_kind_check CHECK (confirmation_kind IN ('portal', 'written'));
DROP TABLE return_units;
DROP TABLE returns;
DROP TABLE return_series;
ALTER TABLE settings DROP COLUMN ra_arrive_days;
