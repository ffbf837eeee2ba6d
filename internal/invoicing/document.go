// Package invoicing turns shipped goods into invoices: a draft per customer
// and business day, issued at the daily cutoff with the next number of a
// gapless series, and credit notes against issued invoices. It computes
// each invoice once, as a Document, which the PDF and Excel writers only
// render.
package invoicing

import (
	"time"

	"wholesale/internal/i18n"
)

// Kinds of invoice documents.
const (
	KindInvoice    = "invoice"
	KindCreditNote = "credit_note"
)

// VAT treatments (the same words as orders.VAT*).
const (
	VATDomestic      = "domestic"
	VATReverseCharge = "reverse_charge"
	VATExport        = "export"
)

// Party is the seller or the buyer as the invoice names them.
type Party struct {
	Name     string `bun:"name" json:"name"`
	Street   string `bun:"street" json:"street"`
	Postcode string `bun:"postcode" json:"postcode"`
	City     string `bun:"city" json:"city"`
	Country  string `bun:"country" json:"country"`
	VATID    string `bun:"vat_id" json:"vat_id,omitempty"`
	KvK      string `bun:"kvk" json:"kvk,omitempty"`
	IBAN     string `bun:"iban" json:"iban,omitempty"`
	BIC      string `bun:"bic" json:"bic,omitempty"`
	Email    string `bun:"email" json:"email,omitempty"`
	Phone    string `bun:"phone" json:"phone,omitempty"`
	Website  string `bun:"website" json:"website,omitempty"`
	// CustomerNumber is the buyer's number with the wholesaler.
	CustomerNumber int64 `bun:"customer_number" json:"customer_number,omitempty"`
	// The buyer's e-invoice settings as they were at issue (see
	// customers.Company): the UBL profile ("" follows the country), its
	// Peppol id ("scheme:id") and the reference it wants on invoices.
	EInvoiceProfile string `bun:"einvoice_profile" json:"einvoice_profile,omitempty"`
	PeppolID        string `bun:"peppol_id" json:"peppol_id,omitempty"`
	BuyerReference  string `bun:"buyer_reference" json:"buyer_reference,omitempty"`
}

// OrderRef is an order whose goods are on the invoice.
type OrderRef struct {
	OrderID     int64  `json:"order_id"`
	POReference string `json:"po_reference"`
}

// DocLine is one line of the invoice as printed.
type DocLine struct {
	No             int    `bun:"no" json:"no"`
	OrderID        int64  `bun:"order_id" json:"order_id"`
	POReference    string `bun:"po_reference" json:"po_reference"`
	SKU            string `bun:"sku" json:"sku"`
	Description    string `bun:"description" json:"description"`
	Quantity       int    `bun:"quantity" json:"quantity"` // negative on a credit note
	UnitPriceCents int64  `bun:"unit_price_cents" json:"unit_price_cents"`
	VATRate        int    `bun:"vat_rate" json:"vat_rate"`
	AmountCents    int64  `bun:"amount_cents" json:"amount_cents"` // quantity × unit price, excl. VAT
	Shipping       bool   `bun:"shipping" json:"shipping"`         // the order's shipping cost
}

// RateTotal is the VAT base and the VAT of one rate.
type RateTotal struct {
	Rate      int   `json:"rate"`
	BaseCents int64 `json:"base_cents"`
	VATCents  int64 `json:"vat_cents"`
}

// Document is an invoice or credit note, computed once: every writer
// prints these figures and texts and computes nothing.
type Document struct {
	Kind     string    `json:"kind"`
	Number   string    `json:"number"`
	Language i18n.Lang `json:"language"`
	// Dates are calendar days (midnight UTC stands for the day).
	IssueDate  time.Time `json:"issue_date"`
	SupplyDate time.Time `json:"supply_date"`
	DueDate    time.Time `json:"due_date"`

	Seller Party `json:"seller"`
	Buyer  Party `json:"buyer"`

	VATMode          string     `json:"vat_mode"`
	Orders           []OrderRef `json:"orders"`
	PaymentReference string     `json:"payment_reference"`
	// Credits is the number and date of the invoice a credit note corrects.
	Credits     string    `json:"credits,omitempty"`
	CreditsDate time.Time `json:"credits_date,omitempty"`
	Reason      string    `json:"reason,omitempty"`

	Lines          []DocLine   `json:"lines"`
	Rates          []RateTotal `json:"rates"` // by rate, high to low
	TotalExclCents int64       `json:"total_excl_cents"`
	VATCents       int64       `json:"vat_cents"`
	TotalInclCents int64       `json:"total_incl_cents"`
	// Prepaid is what was paid before the invoice (a prepayment order).
	PrepaidCents int64 `json:"prepaid_cents,omitempty"`

	// Copy marks a document downloaded after the original mail: KOPIE / COPY.
	Copy bool `json:"-"`
}

// Title is the document's title: Factuur / Invoice, Creditnota / Credit note.
func (d *Document) Title() i18n.Message {
	if d.Kind == KindCreditNote {
		return i18n.M("Credit note")
	}
	return i18n.M("Invoice")
}

// DateLabel names the document's date: the invoice date, or the date of
// the credit note (a credit note has no due date: DueDate is zero).
func (d *Document) DateLabel() i18n.Message {
	if d.Kind == KindCreditNote {
		return i18n.M("Date of the credit note")
	}
	return Labels.IssueDate
}

// VATNote is the text a VAT treatment requires on the invoice (reverse
// charge, export), or the empty message for Dutch VAT.
func (d *Document) VATNote() i18n.Message {
	switch d.VATMode {
	case VATReverseCharge:
		return i18n.M("VAT reverse charged — intra-Community supply, art. 138 Directive 2006/112/EC")
	case VATExport:
		return i18n.M("VAT 0% — export outside the EU, art. 146 Directive 2006/112/EC")
	}
	return i18n.Message{}
}

// Filename is the name of the document's file in format ("pdf" or "xlsx").
func (d *Document) Filename(format string) string {
	prefix := "invoice-"
	if d.Kind == KindCreditNote {
		prefix = "credit-note-"
	}
	if d.Language == i18n.NL {
		prefix = "factuur-"
		if d.Kind == KindCreditNote {
			prefix = "creditnota-"
		}
	}
	name := prefix + d.Number
	if d.Copy {
		name += "-" + map[bool]string{true: "kopie", false: "copy"}[d.Language == i18n.NL]
	}
	return name + "." + format
}
