DELETE FROM outbox_attachments WHERE document_id IN (SELECT id FROM invoice_documents WHERE format = 'ubl');
ALTER TABLE invoice_documents DISABLE TRIGGER invoice_documents_immutable;
DELETE FROM invoice_documents WHERE format = 'ubl';
ALTER TABLE invoice_documents ENABLE TRIGGER invoice_documents_immutable;
ALTER TABLE invoice_documents DROP CONSTRAINT invoice_documents_format_check,
    ADD CONSTRAINT invoice_documents_format_check CHECK (format IN ('pdf', 'xlsx'));
ALTER TABLE companies DROP COLUMN einvoice_profile, DROP COLUMN peppol_id, DROP COLUMN buyer_reference, DROP COLUMN ubl_in_mail;
