ALTER TABLE orders DROP COLUMN complaint_id;
DROP TABLE complaint_documents;
DROP TABLE complaint_notes;
DROP TABLE complaints;
-- Fails while a user has one of the roles this migration added.
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check
    CHECK (role IN ('admin', 'sales', 'account_manager', 'warehouse', 'finance', 'customer'));
