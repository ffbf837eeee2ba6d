-- The database's backstop for the input rules of internal/validate (issue 11):
-- every text a person types has a bounded length and no control characters,
-- every amount and quantity a bounded range. The Validate() of each input type
-- refuses such input first, with a message at the field; these CHECKs only make
-- sure that no path that forgets to validate can store it.
--
-- The limits are those of the Go code: validate.NameMax 200, NoteMax 2000,
-- EmailMax 254, ShortMax 50, POReferenceMax 35, QuantityMax 1,000,000;
-- money.MaxCents 1,000,000,000 (€ 10.000.000,00); customers.PostcodeMax 12,
-- PaymentTermMax 365; users.TokenNameMax 100; catalog.WebMax 500; documents'
-- FilenameMax 200. Lengths are in characters, as in Go (runes); in a
-- multi-line text a CRLF counts as one, as the browser that sent it counted it.
-- PostgreSQL text never holds NUL.

-- input_line tells whether t is one line of at most n characters without
-- control characters (C0, DEL, C1, and the Unicode line and paragraph separators).
CREATE FUNCTION input_line(t text, n integer) RETURNS boolean
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT char_length(t) <= n AND t !~ '[\x01-\x1f\x7f-\x9f\u2028\u2029]' $$;

-- input_text tells whether t is a multi-line text of at most n characters:
-- line breaks and tabs allowed, no other control characters.
CREATE FUNCTION input_text(t text, n integer) RETURNS boolean
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT char_length(replace(t, E'\r\n', E'\n')) <= n AND t !~ '[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]' $$;

ALTER TABLE users
    ADD CONSTRAINT users_email_input CHECK (input_line(email, 254)),
    ADD CONSTRAINT users_name_input CHECK (input_line(name, 200));

ALTER TABLE login_failures
    ADD CONSTRAINT login_failures_email_input CHECK (input_line(email, 254));

ALTER TABLE api_tokens
    ADD CONSTRAINT api_tokens_name_input CHECK (input_line(name, 100));

ALTER TABLE companies
    ADD CONSTRAINT companies_name_input CHECK (input_line(name, 200)),
    ADD CONSTRAINT companies_ids_input CHECK (input_line(kvk, 50) AND input_line(vat_id, 50) AND input_line(iban, 50)),
    ADD CONSTRAINT companies_addresses_input CHECK (
        input_line(visiting_street, 200) AND input_line(visiting_postcode, 12) AND input_line(visiting_city, 200) AND input_line(visiting_country, 2)
        AND input_line(invoice_street, 200) AND input_line(invoice_postcode, 12) AND input_line(invoice_city, 200) AND input_line(invoice_country, 2)),
    ADD CONSTRAINT companies_contact_input CHECK (
        input_line(contact_name, 200) AND input_line(contact_email, 254) AND input_line(contact_phone, 50)
        AND input_line(invoice_email, 254) AND input_line(account_holder, 200)),
    ADD CONSTRAINT companies_credit_limit_max CHECK (credit_limit_cents <= 1000000000);

ALTER TABLE applications
    ADD CONSTRAINT applications_name_input CHECK (input_line(company_name, 200)),
    ADD CONSTRAINT applications_ids_input CHECK (input_line(kvk, 50) AND input_line(vat_id, 50) AND input_line(iban, 50)),
    ADD CONSTRAINT applications_addresses_input CHECK (
        input_line(visiting_street, 200) AND input_line(visiting_postcode, 12) AND input_line(visiting_city, 200) AND input_line(visiting_country, 2)
        AND input_line(invoice_street, 200) AND input_line(invoice_postcode, 12) AND input_line(invoice_city, 200) AND input_line(invoice_country, 2)),
    ADD CONSTRAINT applications_contact_input CHECK (
        input_line(contact_name, 200) AND input_line(contact_email, 254) AND input_line(contact_phone, 50) AND input_line(account_holder, 200)),
    ADD CONSTRAINT applications_notes_input CHECK (input_text(upload_request_note, 2000) AND input_text(reject_reason, 2000));

ALTER TABLE application_checks
    ADD CONSTRAINT application_checks_note_input CHECK (input_text(note, 2000));

-- The values of a change are the company's fields above (at most 8 of them,
-- 828 characters); with keys and JSON quoting they stay far below 4000.
ALTER TABLE change_requests
    ADD CONSTRAINT change_requests_notes_input CHECK (input_text(note, 2000) AND input_text(decision_note, 2000)),
    ADD CONSTRAINT change_requests_values_size CHECK (char_length(old_values::text) <= 4000 AND char_length(new_values::text) <= 4000);

ALTER TABLE documents
    ADD CONSTRAINT documents_filename_input CHECK (input_line(filename, 200));

ALTER TABLE upload_stash
    ADD CONSTRAINT upload_stash_filename_input CHECK (input_line(filename, 200));

ALTER TABLE service_centres
    ADD CONSTRAINT service_centres_input CHECK (
        input_line(brand, 200) AND input_line(name, 200) AND input_line(address, 200)
        AND input_line(phone, 50) AND input_line(email, 254) AND input_line(web, 500));

ALTER TABLE customer_prices
    ADD CONSTRAINT customer_prices_price_max CHECK (price_cents <= 1000000000);

ALTER TABLE suppliers
    ADD CONSTRAINT suppliers_name_input CHECK (btrim(name) <> '' AND input_line(name, 200));

ALTER TABLE supplier_orders
    ADD CONSTRAINT supplier_orders_reference_input CHECK (input_line(reference, 35)),
    ADD CONSTRAINT supplier_orders_expected_date_range CHECK (expected_date BETWEEN DATE '2000-01-01' AND DATE '2099-12-31');

ALTER TABLE supplier_order_lines
    ADD CONSTRAINT supplier_order_lines_quantity_max CHECK (quantity <= 1000000),
    ADD CONSTRAINT supplier_order_lines_received_max CHECK (received <= quantity);
