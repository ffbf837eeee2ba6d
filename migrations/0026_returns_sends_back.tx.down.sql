DROP INDEX returns_to_send_back_idx;
CREATE INDEX returns_to_send_back_idx ON returns (settled_at, id) WHERE state = 'settled' AND sent_back_at IS NULL;
ALTER TABLE returns DROP COLUMN sends_back;
