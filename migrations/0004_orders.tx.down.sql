DROP TABLE IF EXISTS idempotency_keys;
DELETE FROM documents WHERE order_id IS NOT NULL;
ALTER TABLE documents DROP CONSTRAINT documents_one_owner, DROP COLUMN order_id;
ALTER TABLE documents ADD CONSTRAINT documents_check CHECK ((application_id IS NULL) <> (change_request_id IS NULL));
DROP TABLE IF EXISTS order_revisions, order_lines, orders;
