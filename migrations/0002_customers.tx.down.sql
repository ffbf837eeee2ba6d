DROP TABLE IF EXISTS invitations, upload_stash, application_checks, documents, change_requests, applications, blobs;
ALTER TABLE companies
    DROP COLUMN kvk, DROP COLUMN vat_id, DROP COLUMN visiting_street, DROP COLUMN visiting_postcode,
    DROP COLUMN visiting_city, DROP COLUMN visiting_country, DROP COLUMN invoice_street, DROP COLUMN invoice_postcode,
    DROP COLUMN invoice_city, DROP COLUMN invoice_country, DROP COLUMN contact_name, DROP COLUMN contact_email,
    DROP COLUMN contact_phone, DROP COLUMN invoice_email, DROP COLUMN iban, DROP COLUMN account_holder,
    DROP COLUMN payment_terms, DROP COLUMN credit_limit_cents, DROP COLUMN payment_term_days,
    DROP COLUMN account_manager_id, DROP COLUMN application_id;
