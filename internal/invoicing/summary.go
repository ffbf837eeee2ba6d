package invoicing

import "time"

// Summary is an invoice or credit note as lists and the bookkeeper's export
// show it: one row per document, with its totals per VAT rate.
type Summary struct {
	ID           int64       `bun:"id" json:"-"`
	Kind         string      `bun:"kind" json:"kind"`
	Number       string      `bun:"number" json:"number"`
	State        string      `bun:"state" json:"state"`
	CompanyID    int64       `bun:"company_id" json:"company_id"`
	CompanyName  string      `bun:"company_name" json:"company_name"`
	CompanyVATID string      `bun:"company_vat_id" json:"company_vat_id,omitempty"`
	BusinessDay  time.Time   `bun:"business_day,type:date" json:"-"`
	IssueDate    *time.Time  `bun:"issue_date,type:date" json:"issue_date,omitempty"`
	DueDate      *time.Time  `bun:"due_date,type:date" json:"due_date,omitempty"`
	VATMode      string      `bun:"vat_mode" json:"vat_mode"`
	Credits      string      `bun:"credits" json:"credits,omitempty"` // the corrected invoice's number
	ExclCents    int64       `bun:"total_excl_cents" json:"total_excl_cents"`
	VATCents     int64       `bun:"vat_cents" json:"vat_cents"`
	InclCents    int64       `bun:"total_incl_cents" json:"total_incl_cents"`
	PaidCents    int64       `bun:"paid_cents" json:"paid_cents"`
	PerRate      []RateTotal `bun:"per_rate,type:jsonb" json:"per_rate"`
}

// LineRow is one invoice line with its invoice, for the lines export.
type LineRow struct {
	Number      string
	IssueDate   time.Time
	CompanyName string
	DocLine
}
