-- A company's branch number (vestigingsnummer): the KvK's 12-digit number
-- of the establishment it applies for, optional. internal/ident checks it;
-- the CHECKs are the backstop.
ALTER TABLE applications ADD COLUMN branch_number text NOT NULL DEFAULT ''
    CHECK (branch_number = '' OR branch_number ~ '^[0-9]{12}$' AND branch_number <> '000000000000');
ALTER TABLE companies ADD COLUMN branch_number text NOT NULL DEFAULT ''
    CHECK (branch_number = '' OR branch_number ~ '^[0-9]{12}$' AND branch_number <> '000000000000');
