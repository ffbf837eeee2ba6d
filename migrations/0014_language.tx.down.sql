ALTER TABLE companies DROP COLUMN language;
ALTER TABLE users DROP COLUMN language;
