// Package credit computes a customer's credit position and whether an order
// must be held for approval.
package credit

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/clock"
	"wholesale/internal/i18n"
	"wholesale/internal/postgres"
)

// Position is a customer's credit position.
type Position struct {
	Prepayment  bool
	LimitCents  int64
	Receivables int64 // unpaid part of issued invoices, incl. VAT
	OpenOrders  int64 // placed, not invoiced orders, incl. VAT (back orders too); held ones count once approved
	Overdue     bool  // an invoice is past its due date
}

// ExposureCents is what the customer owes or will owe.
func (p Position) ExposureCents() int64 { return p.Receivables + p.OpenOrders }

// AvailableCents is the room left under the limit (negative when over).
func (p Position) AvailableCents() int64 { return p.LimitCents - p.ExposureCents() }

// PositionSQL is the select list of a customer's credit position: of the
// company row aliased c, leaving out the order whose id is the SQL
// expression exclude, with today (the SQL expression of a date) deciding
// what is overdue. Its columns are those of PositionRow. A statement that
// reads the position along with other things embeds it; read it with the
// company row locked to decide on an order.
//
// Open orders count with what of them is not yet on an issued invoice;
// issued invoices count with what is unpaid of them, credit notes not yet
// set off and payments not yet allocated lowering it.
func PositionSQL(c, exclude, today string) string {
	return c + `.payment_terms AS credit_terms, ` + c + `.credit_limit_cents AS credit_limit_cents,
		COALESCE((SELECT sum(GREATEST(o.total_incl_cents - o.invoiced_cents, 0)) FROM orders o
			WHERE o.company_id = ` + c + `.id AND o.state = 'placed' AND o.status <> 'invoiced' AND o.credit_hold <> 'held'
			AND o.id <> ` + exclude + `), 0) AS credit_open_orders_cents,
		COALESCE((SELECT sum(i.total_incl_cents - i.paid_cents) FROM invoices i
			WHERE i.company_id = ` + c + `.id AND i.state = 'issued' AND i.total_incl_cents - i.paid_cents <> 0), 0)
		- COALESCE((SELECT sum(p.unallocated_cents) FROM payments p WHERE p.company_id = ` + c + `.id AND p.unallocated_cents > 0), 0)
			AS credit_receivables_cents,
		EXISTS (SELECT 1 FROM invoices i WHERE i.company_id = ` + c + `.id AND i.state = 'issued' AND i.kind = 'invoice'
			AND i.total_incl_cents - i.paid_cents > 0 AND i.due_date < ` + today + `) AS credit_overdue`
}

// PositionRow is what PositionSQL reads.
type PositionRow struct {
	Terms       string `bun:"credit_terms"`
	LimitCents  int64  `bun:"credit_limit_cents"`
	OpenOrders  int64  `bun:"credit_open_orders_cents"`
	Receivables int64  `bun:"credit_receivables_cents"`
	Overdue     bool   `bun:"credit_overdue"`
}

// Position is the credit position the row describes.
func (r PositionRow) Position() Position {
	return Position{Prepayment: r.Terms == "prepayment", LimitCents: r.LimitCents, OpenOrders: r.OpenOrders,
		Receivables: r.Receivables, Overdue: r.Overdue}
}

// position is prepared: every order placed runs it.
var position = postgres.NewStmt("credit_position", `SELECT `+PositionSQL("c", "?0", "?2::date")+` FROM companies c WHERE c.id = ?1`)

// Of returns the company's position. Orders other than excludeOrderID count;
// call it with the company row locked (FOR NO KEY UPDATE) to decide on an
// order, so that concurrent orders of one customer are decided one after another.
func Of(ctx context.Context, db bun.IDB, companyID, excludeOrderID int64, now time.Time) (Position, error) {
	var row PositionRow
	err := postgres.ScanStmtIn(ctx, db, position, []any{excludeOrderID, companyID, Today(now)}, &row)
	return row.Position(), err
}

// Today is now's date in Amsterdam, as PositionSQL's today parameter: an
// invoice due today is not yet overdue.
func Today(now time.Time) string { return now.In(clock.Amsterdam).Format(time.DateOnly) }

// Decide says whether an order of orderCents (incl. VAT) must be held: when
// it would take the exposure past the limit, or an invoice is overdue. The
// reason is a message with the amounts, printed in the reader's language.
func Decide(p Position, orderCents int64) (held bool, reason i18n.Message) {
	if p.Prepayment {
		return false, i18n.Message{}
	}
	if p.Overdue {
		return true, i18n.M("The customer has an invoice past its due date.")
	}
	if orderCents > p.AvailableCents() { // not exposure + order > limit: that sum could overflow
		return true, i18n.M("Exposure %s + this order %s passes the credit limit %s.",
			i18n.Amount(p.ExposureCents()), i18n.Amount(orderCents), i18n.Amount(p.LimitCents))
	}
	return false, i18n.Message{}
}
