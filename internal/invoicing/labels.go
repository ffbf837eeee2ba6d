package invoicing

import "wholesale/internal/i18n"

// Labels are the words every invoice writer prints, so that the PDF and the
// Excel say the same in the invoice's language.
var Labels = struct {
	Copy, Number, IssueDate, SupplyDate, DueDate, CustomerNumber, PaymentReference,
	Orders, Order, POReference, CreditsInvoice, Reason,
	Seller, Buyer, VATID, KvK, IBAN, BIC,
	LineNo, SKU, Description, Quantity, UnitPrice, VATRate, Amount,
	Shipping, TotalExcl, VATAt, BaseAt, VAT, TotalIncl, Prepaid, ToPay,
	PayBy, Page i18n.Message
}{
	Copy:             i18n.M("COPY"),
	Number:           i18n.M("Number"),
	IssueDate:        i18n.M("Invoice date"),
	SupplyDate:       i18n.M("Date of supply"),
	DueDate:          i18n.M("Due date"),
	CustomerNumber:   i18n.M("Customer number"),
	PaymentReference: i18n.M("Payment reference"),
	Orders:           i18n.M("Orders"),
	Order:            i18n.M("Order"),
	POReference:      i18n.M("Your PO"),
	CreditsInvoice:   i18n.M("Corrects invoice"),
	Reason:           i18n.M("Reason"),
	Seller:           i18n.M("From"),
	Buyer:            i18n.M("To"),
	VATID:            i18n.M("VAT id"),
	KvK:              i18n.M("KvK"),
	IBAN:             i18n.M("IBAN"),
	BIC:              i18n.M("BIC"),
	LineNo:           i18n.M("No."),
	SKU:              i18n.M("SKU"),
	Description:      i18n.M("Description"),
	Quantity:         i18n.M("Quantity"),
	UnitPrice:        i18n.M("Unit price excl. VAT"),
	VATRate:          i18n.M("VAT rate"),
	Amount:           i18n.M("Amount excl. VAT"),
	Shipping:         i18n.M("Shipping costs, order %d"),
	TotalExcl:        i18n.M("Total excl. VAT"),
	BaseAt:           i18n.M("Excl. VAT at %d%%"),
	VATAt:            i18n.M("VAT %d%% over %s"),
	VAT:              i18n.M("VAT"),
	TotalIncl:        i18n.M("Total incl. VAT"),
	Prepaid:          i18n.M("Paid in advance"),
	ToPay:            i18n.M("To pay"),
	PayBy:            i18n.M("Please pay %s by %s to %s, stating %s."),
	Page:             i18n.M("Page %d of %d"),
}
