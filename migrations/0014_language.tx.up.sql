-- The language people read the application in: a user's own choice on
-- /profile, and a customer company's for the mail sent to it (set at
-- approval: Dutch for Dutch companies, English for others; sales may
-- change it).
ALTER TABLE users ADD COLUMN language text NOT NULL DEFAULT 'nl' CHECK (language IN ('nl', 'en'));
ALTER TABLE companies ADD COLUMN language text NOT NULL DEFAULT 'nl' CHECK (language IN ('nl', 'en'));
UPDATE companies SET language = 'en' WHERE visiting_country <> 'NL';
