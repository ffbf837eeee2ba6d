ALTER TABLE companies DROP COLUMN branch_number;
ALTER TABLE applications DROP COLUMN branch_number;
