-- The language an application was sent in: the receipt, a request for
-- documents and a rejection go to the applicant in it. Applications sent
-- before are taken to follow their visiting address, as companies do
-- (0014): Dutch in the Netherlands, English elsewhere.
ALTER TABLE applications ADD COLUMN language text NOT NULL DEFAULT 'nl' CHECK (language IN ('nl', 'en'));
UPDATE applications SET language = 'en' WHERE visiting_country <> 'NL';
-- Why VIES did not answer is kept as VIES said it; the page puts it in the
-- reader's language.
UPDATE applications SET vies_error = substr(vies_error, length('VIES did not answer: ') + 1)
 WHERE vies_error LIKE 'VIES did not answer: %';
