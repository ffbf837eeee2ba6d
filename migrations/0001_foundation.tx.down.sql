DROP TABLE IF EXISTS audit_log, outbox, kv_store, api_tokens, password_resets, login_failures, users, companies;
DROP FUNCTION IF EXISTS audit_log_append_only();
