// Package credit computes a customer's credit position and whether an order
// must be held for approval.
package credit

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/money"
)

// Position is a customer's credit position.
type Position struct {
	Prepayment  bool
	LimitCents  int64
	Receivables int64 // unpaid part of issued invoices, incl. VAT
	OpenOrders  int64 // placed, not invoiced orders, incl. VAT (back orders too)
	Overdue     bool  // an invoice is past its due date
}

// ExposureCents is what the customer owes or will owe.
func (p Position) ExposureCents() int64 { return p.Receivables + p.OpenOrders }

// AvailableCents is the room left under the limit (negative when over).
func (p Position) AvailableCents() int64 { return p.LimitCents - p.ExposureCents() }

// Of returns the company's position. Orders other than excludeOrderID count;
// call it with the company row locked (FOR UPDATE) to decide on an order, so
// that concurrent orders of one customer are decided one after another.
func Of(ctx context.Context, db bun.IDB, companyID, excludeOrderID int64, now time.Time) (Position, error) {
	var p Position
	var terms string
	if err := db.QueryRowContext(ctx, "SELECT payment_terms, credit_limit_cents FROM companies WHERE id = ?", companyID).Scan(&terms, &p.LimitCents); err != nil {
		return p, err
	}
	p.Prepayment = terms == "prepayment"
	if err := db.QueryRowContext(ctx, `SELECT COALESCE(sum(total_incl_cents), 0) FROM orders
		WHERE company_id = ? AND state = 'placed' AND id <> ?`, companyID, excludeOrderID).Scan(&p.OpenOrders); err != nil {
		return p, err
	}
	var err error
	p.Receivables, p.Overdue, err = receivables(ctx, db, companyID, now)
	return p, err
}

// receivables returns the unpaid part of the company's issued invoices and
// whether one is overdue. Invoices arrive with the invoicing area; until
// then nothing is invoiced, so nothing is owed. This is the one place the
// invoice figures enter the credit check.
func receivables(ctx context.Context, db bun.IDB, companyID int64, now time.Time) (int64, bool, error) {
	var exists bool
	if err := db.QueryRowContext(ctx, "SELECT to_regclass('invoices') IS NOT NULL").Scan(&exists); err != nil || !exists {
		return 0, false, err
	}
	var owed int64
	var overdue bool
	err := db.QueryRowContext(ctx, `SELECT COALESCE(sum(total_incl_cents - paid_cents), 0), COALESCE(bool_or(due_date < ?::date AND paid_cents < total_incl_cents), false)
		FROM invoices WHERE company_id = ?`, now, companyID).Scan(&owed, &overdue)
	return owed, overdue, err
}

// Decide says whether an order of orderCents (incl. VAT) must be held: when
// it would take the exposure past the limit, or an invoice is overdue.
func Decide(p Position, orderCents int64) (held bool, reason string) {
	if p.Prepayment {
		return false, ""
	}
	if p.Overdue {
		return true, "The customer has an invoice past its due date."
	}
	if p.ExposureCents()+orderCents > p.LimitCents {
		return true, fmt.Sprintf("Exposure %s + this order %s passes the credit limit %s.",
			money.Format(p.ExposureCents()), money.Format(orderCents), money.Format(p.LimitCents))
	}
	return false, ""
}
