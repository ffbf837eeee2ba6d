package invoicing

import (
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/i18n"
)

// States of an invoice.
const (
	StateDraft  = "draft"
	StateIssued = "issued"
)

// Invoice is an invoice or credit note as stored: a draft collects shipped
// lines; issued, it never changes (the database refuses).
type Invoice struct {
	bun.BaseModel `bun:"table:invoices,alias:inv"`

	ID               int64       `bun:"id,pk,autoincrement" json:"-"`
	Kind             string      `bun:"kind" json:"kind"`
	CompanyID        int64       `bun:"company_id" json:"company_id"`
	State            string      `bun:"state" json:"state"`
	BusinessDay      time.Time   `bun:"business_day,type:date" json:"-"`
	Number           *string     `bun:"number" json:"number,omitempty"`
	Year             *int        `bun:"year" json:"-"`
	Seq              *int        `bun:"seq" json:"-"`
	IssueDate        *time.Time  `bun:"issue_date,type:date" json:"issue_date,omitempty"`
	SupplyDate       *time.Time  `bun:"supply_date,type:date" json:"supply_date,omitempty"`
	DueDate          *time.Time  `bun:"due_date,type:date" json:"due_date,omitempty"`
	Language         i18n.Lang   `bun:"language" json:"language"`
	VATMode          string      `bun:"vat_mode" json:"vat_mode"`
	Seller           *Party      `bun:"seller,type:jsonb" json:"seller,omitempty"`
	Buyer            *Party      `bun:"buyer,type:jsonb" json:"buyer,omitempty"`
	PaymentReference *string     `bun:"payment_reference" json:"payment_reference,omitempty"`
	CreditsInvoiceID *int64      `bun:"credits_invoice_id" json:"-"`
	Reason           string      `bun:"reason" json:"reason,omitempty"`
	TotalExclCents   int64       `bun:"total_excl_cents" json:"total_excl_cents"`
	VATCents         int64       `bun:"vat_cents" json:"vat_cents"`
	TotalInclCents   int64       `bun:"total_incl_cents" json:"total_incl_cents"`
	PerRate          []RateTotal `bun:"per_rate,type:jsonb" json:"per_rate"`
	PrepaidCents     int64       `bun:"prepaid_cents" json:"prepaid_cents,omitempty"`
	PaidCents        int64       `bun:"paid_cents" json:"paid_cents"`
	IssuedAt         *time.Time  `bun:"issued_at" json:"issued_at,omitempty"`
	IssuedBy         *int64      `bun:"issued_by" json:"-"`
	CreatedAt        time.Time   `bun:"created_at" json:"-"`
	UpdatedAt        time.Time   `bun:"updated_at" json:"-"`

	CompanyName string `bun:"company_name,scanonly" json:"company_name,omitempty"`
	Credits     string `bun:"credits,scanonly" json:"credits,omitempty"`
	Lines       []Line `bun:"-" json:"lines,omitempty"`
}

// NumberOr is the invoice's number, or "" for a draft.
func (inv *Invoice) NumberOr() string {
	if inv.Number == nil {
		return ""
	}
	return *inv.Number
}

// Overdue tells whether the invoice is unpaid past its due date on day today.
func (inv *Invoice) Overdue(today time.Time) bool {
	return inv.State == StateIssued && inv.Kind == KindInvoice && inv.DueDate != nil &&
		inv.PaidCents < inv.TotalInclCents && inv.DueDate.Before(today)
}

// Line is a line of an invoice as stored.
type Line struct {
	bun.BaseModel `bun:"table:invoice_lines,alias:il"`

	InvoiceID      int64  `bun:"invoice_id,pk" json:"-"`
	LineNo         int    `bun:"line_no,pk" json:"line_no"`
	OrderID        int64  `bun:"order_id" json:"order_id"`
	OrderLineID    *int64 `bun:"order_line_id" json:"-"`
	ShipmentID     *int64 `bun:"shipment_id" json:"shipment_id,omitempty"`
	CreditsLineNo  *int   `bun:"credits_line_no" json:"credits_line_no,omitempty"`
	SKU            string `bun:"sku" json:"sku"`
	Description    string `bun:"description" json:"description"`
	Quantity       int    `bun:"quantity" json:"quantity"`
	UnitPriceCents int64  `bun:"unit_price_cents" json:"unit_price_cents"`
	VATRate        int    `bun:"vat_rate" json:"vat_rate"`
	AmountCents    int64  `bun:"amount_cents" json:"amount_cents"`

	POReference string `bun:"po_reference,scanonly" json:"po_reference"`
}

// Shipping tells whether the line is an order's shipping cost.
func (l *Line) Shipping() bool { return l.OrderLineID == nil && l.CreditsLineNo == nil && l.SKU == "" }

// docLines are the lines as a Document prints them.
func docLines(ls []Line) []DocLine {
	out := make([]DocLine, len(ls))
	for i, l := range ls {
		out[i] = DocLine{No: l.LineNo, OrderID: l.OrderID, POReference: l.POReference, SKU: l.SKU, Description: l.Description,
			Quantity: l.Quantity, UnitPriceCents: l.UnitPriceCents, VATRate: l.VATRate, AmountCents: l.AmountCents, Shipping: l.SKU == ""}
	}
	return out
}
