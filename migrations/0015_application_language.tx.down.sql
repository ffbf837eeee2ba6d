UPDATE applications SET vies_error = 'VIES did not answer: ' || vies_error WHERE vies_error <> '';
ALTER TABLE applications DROP COLUMN language;
