ALTER TABLE settings DROP CONSTRAINT settings_reminders_in_order, DROP COLUMN reminder_1_days, DROP COLUMN reminder_2_days;
DROP TABLE invoice_reminders;
DROP TABLE bank_entries;
DROP TABLE bank_statements;
DROP TABLE allocations;
DROP TABLE payments;
