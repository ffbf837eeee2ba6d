ALTER TABLE supplier_order_lines
    DROP CONSTRAINT supplier_order_lines_quantity_max,
    DROP CONSTRAINT supplier_order_lines_received_max;
ALTER TABLE supplier_orders
    DROP CONSTRAINT supplier_orders_reference_input,
    DROP CONSTRAINT supplier_orders_expected_date_range;
ALTER TABLE suppliers DROP CONSTRAINT suppliers_name_input;
ALTER TABLE customer_prices DROP CONSTRAINT customer_prices_price_max;
ALTER TABLE service_centres DROP CONSTRAINT service_centres_input;
ALTER TABLE upload_stash DROP CONSTRAINT upload_stash_filename_input;
ALTER TABLE documents DROP CONSTRAINT documents_filename_input;
ALTER TABLE change_requests
    DROP CONSTRAINT change_requests_notes_input,
    DROP CONSTRAINT change_requests_values_size;
ALTER TABLE application_checks DROP CONSTRAINT application_checks_note_input;
ALTER TABLE applications
    DROP CONSTRAINT applications_name_input,
    DROP CONSTRAINT applications_ids_input,
    DROP CONSTRAINT applications_addresses_input,
    DROP CONSTRAINT applications_contact_input,
    DROP CONSTRAINT applications_notes_input;
ALTER TABLE companies
    DROP CONSTRAINT companies_name_input,
    DROP CONSTRAINT companies_ids_input,
    DROP CONSTRAINT companies_addresses_input,
    DROP CONSTRAINT companies_contact_input,
    DROP CONSTRAINT companies_credit_limit_max;
ALTER TABLE api_tokens DROP CONSTRAINT api_tokens_name_input;
ALTER TABLE login_failures DROP CONSTRAINT login_failures_email_input;
ALTER TABLE users
    DROP CONSTRAINT users_email_input,
    DROP CONSTRAINT users_name_input;
DROP FUNCTION input_text(text, integer);
DROP FUNCTION input_line(text, integer);
