// Package payments books what customers pay: payments registered by
// finance or matched from a bank statement, allocated to invoices (oldest
// first unless a reference or a person says which) or to a prepayment
// order; credit notes set off against open invoices; and every allocation
// undone with a reason. What is not allocated stays on the payment as the
// customer's balance, never lost. invoices.paid_cents is kept equal to
// what was prepaid plus the active allocations to the invoice (for a
// credit note: minus what of it was set off), so that invoice lists, the
// credit position and the reminders read one figure.
package payments

import (
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/clock"
	"wholesale/internal/i18n"
	"wholesale/internal/idempotency"
)

// Reason says why an allocation was made.
type Reason string

// Reasons of allocations.
const (
	ReasonOldestFirst      Reason = "oldest_first"
	ReasonChosen           Reason = "chosen"
	ReasonPaymentReference Reason = "payment_reference"
	ReasonInvoiceNumber    Reason = "invoice_number"
	ReasonAmountAndIBAN    Reason = "amount_and_iban"
	ReasonOrderReference   Reason = "order_reference"
	ReasonSetOff           Reason = "set_off"
	ReasonManualMatch      Reason = "manual_match"
)

// Label says the reason for people.
func (r Reason) Label() i18n.Message {
	switch r {
	case ReasonOldestFirst:
		return i18n.M("oldest invoice first")
	case ReasonChosen:
		return i18n.M("chosen by finance")
	case ReasonPaymentReference:
		return i18n.M("the payment reference is the invoice's")
	case ReasonInvoiceNumber:
		return i18n.M("the invoice number is in the description")
	case ReasonAmountAndIBAN:
		return i18n.M("the amount and the customer's IBAN match")
	case ReasonOrderReference:
		return i18n.M("the payment reference is the prepayment order's")
	case ReasonSetOff:
		return i18n.M("credit note set off")
	case ReasonManualMatch:
		return i18n.M("matched by finance from the bank statement")
	}
	return i18n.Raw(string(r))
}

// Sources of payments.
const (
	SourceManual = "manual"
	SourceBank   = "bank"
)

// Payment is money received from a customer.
type Payment struct {
	bun.BaseModel `bun:"table:payments,alias:p"`

	ID               int64     `bun:"id,pk,autoincrement" json:"id"`
	CompanyID        int64     `bun:"company_id" json:"company_id"`
	AmountCents      int64     `bun:"amount_cents" json:"amount_cents"`
	UnallocatedCents int64     `bun:"unallocated_cents" json:"unallocated_cents"`
	ReceivedOn       time.Time `bun:"received_on,type:date" json:"received_on"`
	Reference        string    `bun:"reference" json:"reference"`
	CounterpartyIBAN string    `bun:"counterparty_iban" json:"counterparty_iban,omitempty"`
	CounterpartyName string    `bun:"counterparty_name" json:"counterparty_name,omitempty"`
	Source           string    `bun:"source" json:"source"`
	CreatedBy        *int64    `bun:"created_by" json:"-"`
	CreatedAt        time.Time `bun:"created_at" json:"created_at"`

	CompanyName string       `bun:"company_name,scanonly" json:"company_name,omitempty"`
	Allocations []Allocation `bun:"-" json:"allocations,omitempty"`
}

// Allocation is part of a payment or credit note put on an invoice or a
// prepayment order.
type Allocation struct {
	bun.BaseModel `bun:"table:allocations,alias:a"`

	ID           int64      `bun:"id,pk,autoincrement" json:"id"`
	CompanyID    int64      `bun:"company_id" json:"-"`
	PaymentID    *int64     `bun:"payment_id" json:"payment_id,omitempty"`
	CreditNoteID *int64     `bun:"credit_note_id" json:"-"`
	InvoiceID    *int64     `bun:"invoice_id" json:"-"`
	OrderID      *int64     `bun:"order_id" json:"order_id,omitempty"`
	AmountCents  int64      `bun:"amount_cents" json:"amount_cents"`
	Reason       Reason     `bun:"reason" json:"reason"`
	ReasonDetail string     `bun:"reason_detail" json:"reason_detail,omitempty"`
	CreatedBy    *int64     `bun:"created_by" json:"-"`
	CreatedAt    time.Time  `bun:"created_at" json:"created_at"`
	UndoneAt     *time.Time `bun:"undone_at" json:"undone_at,omitempty"`
	UndoneBy     *int64     `bun:"undone_by" json:"-"`
	UndoReason   *string    `bun:"undo_reason" json:"undo_reason,omitempty"`

	// InvoiceNumber is the invoice allocated to; CreditNote the credit
	// note set off.
	InvoiceNumber string `bun:"invoice_number,scanonly" json:"invoice,omitempty"`
	CreditNote    string `bun:"credit_note_number,scanonly" json:"credit_note,omitempty"`
}

// Active tells whether the allocation counts (it was not undone).
func (a *Allocation) Active() bool { return a.UndoneAt == nil }

// Target says where a new payment goes first: an invoice or a prepayment
// order, and why.
type Target struct {
	InvoiceID, OrderID int64
	Reason             Reason
	Detail             string
}

// NewPayment is a payment to book.
type NewPayment struct {
	CompanyID        int64
	AmountCents      int64
	ReceivedOn       time.Time
	Reference        string
	CounterpartyIBAN string
	CounterpartyName string
	Source           string
}

// Service holds the use cases of payments.
type Service struct {
	DB    *bun.DB
	Clock clock.Clock
	key   *idempotency.Key
}

// Keyed returns the service that registers once per key k (nil: s): a
// retry of the API's POST gets the first answer and books nothing again.
func (s *Service) Keyed(k *idempotency.Key) *Service {
	if k == nil {
		return s
	}
	c := *s
	c.key = k
	return &c
}

func (s *Service) now() time.Time { return s.Clock.Now().Truncate(time.Microsecond) }
