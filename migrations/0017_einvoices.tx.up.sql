-- E-invoices (UBL 2.1). Each customer's profile: '' follows its country
-- (SI-UBL 2.0 / NLCIUS in the Netherlands, Peppol BIS Billing 3.0
-- elsewhere), or 'nlcius' / 'peppol' as chosen. peppol_id is its Peppol
-- participant id as "scheme:id" (e.g. 0106:12345678), buyer_reference the
-- reference it wants on every invoice, ubl_in_mail whether the invoice
-- mail carries the UBL file too.
ALTER TABLE companies
    ADD COLUMN einvoice_profile text NOT NULL DEFAULT '' CHECK (einvoice_profile IN ('', 'nlcius', 'peppol')),
    ADD COLUMN peppol_id text NOT NULL DEFAULT '' CHECK (length(peppol_id) <= 60),
    ADD COLUMN buyer_reference text NOT NULL DEFAULT '' CHECK (length(buyer_reference) <= 100),
    ADD COLUMN ubl_in_mail boolean NOT NULL DEFAULT false;
-- The UBL of an issued document is stored once made (at the mail, or at
-- the first download) and is the same bytes ever after.
ALTER TABLE invoice_documents DROP CONSTRAINT invoice_documents_format_check,
    ADD CONSTRAINT invoice_documents_format_check CHECK (format IN ('pdf', 'xlsx', 'ubl'));
