package receivables

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/apperr"
	"wholesale/internal/credit"
	"wholesale/internal/users"
)

// OpenItem is an issued invoice or credit note of the customer that is
// not settled: its open amount is total − paid (negative for a credit
// note).
type OpenItem struct {
	Number     string         `bun:"number"`
	Kind       string         `bun:"kind"`
	IssueDate  time.Time      `bun:"issue_date,type:date"`
	DueDate    time.Time      `bun:"due_date,type:date"`
	TotalCents int64          `bun:"total_incl_cents"`
	PaidCents  int64          `bun:"paid_cents"`
	OpenCents  int64          `bun:"open_cents"`
	Reminders  []ReminderSent `bun:"reminders,type:jsonb"`
	// Overdue says an invoice is unpaid past its due date today.
	Overdue bool `bun:"-"`
}

// Allocation is what part of a payment went where: an invoice (by its
// number) or a prepayment order (by its number).
type Allocation struct {
	AmountCents   int64  `json:"amount_cents"`
	InvoiceNumber string `json:"invoice_number"`
	OrderID       int64  `json:"order_id"`
}

// Payment is a payment the customer made, with what of it went where.
type Payment struct {
	ReceivedOn       time.Time    `bun:"received_on,type:date"`
	AmountCents      int64        `bun:"amount_cents"`
	UnallocatedCents int64        `bun:"unallocated_cents"`
	Reference        string       `bun:"reference"`
	Allocations      []Allocation `bun:"allocations,type:jsonb"`
}

// PaymentsLimit is the most payments a statement lists, newest first.
const PaymentsLimit = 100

// Statement is a customer's account: its open items, its payments, its
// balance of unallocated payments and its credit position.
type Statement struct {
	CompanyID int64
	Today     time.Time
	Open      []OpenItem
	// OpenCents is the sum of the open items (credit notes lower it).
	OpenCents int64
	Payments  []Payment
	// MorePayments says there are more than PaymentsLimit payments.
	MorePayments bool
	// UnallocatedCents is the customer's balance: paid, on no invoice yet.
	UnallocatedCents int64
	Credit           credit.Position
}

// BalanceCents is what the customer owes after its unallocated payments.
func (s *Statement) BalanceCents() int64 { return s.OpenCents - s.UnallocatedCents }

// StatementOf is the account statement of by's own company at now. Only
// a customer's user has one: Forbidden for a user of no company.
func StatementOf(ctx context.Context, db bun.IDB, by *users.User, now time.Time) (*Statement, error) {
	if by == nil || by.Role != users.RoleCustomer || by.CompanyID == nil {
		return nil, apperr.Forbiddenf("Only a customer's users see its account statement.")
	}
	companyID := *by.CompanyID
	st := &Statement{CompanyID: companyID, Today: Today(now)}
	err := db.NewRaw(`SELECT i.number, i.kind, i.issue_date, i.due_date, i.total_incl_cents, i.paid_cents,
			i.total_incl_cents - i.paid_cents AS open_cents,
			COALESCE((SELECT json_agg(json_build_object('level', r.level, 'sent_at', r.sent_at, 'due_cents', r.due_cents) ORDER BY r.level)
				FROM invoice_reminders r WHERE r.invoice_id = i.id), '[]') AS reminders
		FROM invoices i
		WHERE i.company_id = ? AND i.state = 'issued' AND i.total_incl_cents - i.paid_cents <> 0
		ORDER BY i.due_date, i.id`, companyID).Scan(ctx, &st.Open)
	if err != nil {
		return nil, fmt.Errorf("receivables: open items: %w", err)
	}
	for i := range st.Open {
		it := &st.Open[i]
		it.Overdue = it.Kind == "invoice" && it.OpenCents > 0 && it.DueDate.Before(st.Today)
		st.OpenCents += it.OpenCents
	}
	err = db.NewRaw(`SELECT p.received_on, p.amount_cents, p.unallocated_cents, p.reference,
			COALESCE((SELECT json_agg(json_build_object('amount_cents', a.amount_cents, 'invoice_number', COALESCE(i.number, ''),
					'order_id', COALESCE(a.order_id, 0)) ORDER BY a.id)
				FROM allocations a LEFT JOIN invoices i ON i.id = a.invoice_id
				WHERE a.payment_id = p.id AND a.undone_at IS NULL), '[]') AS allocations
		FROM payments p WHERE p.company_id = ?
		ORDER BY p.received_on DESC, p.id DESC LIMIT ?`, companyID, PaymentsLimit+1).Scan(ctx, &st.Payments)
	if err != nil {
		return nil, fmt.Errorf("receivables: payments: %w", err)
	}
	if len(st.Payments) > PaymentsLimit {
		st.Payments, st.MorePayments = st.Payments[:PaymentsLimit], true
	}
	err = db.NewRaw(`SELECT COALESCE(sum(unallocated_cents), 0) FROM payments WHERE company_id = ? AND unallocated_cents > 0`, companyID).
		Scan(ctx, &st.UnallocatedCents)
	if err != nil {
		return nil, fmt.Errorf("receivables: balance: %w", err)
	}
	if st.Credit, err = credit.Of(ctx, db, companyID, 0, now); err != nil {
		return nil, err
	}
	return st, nil
}
