// Package credit computes a customer's credit position and whether an order
// must be held for approval.
package credit

import (
	"context"
	"time"

	"github.com/uptrace/bun"

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
// expression exclude. Its columns are those of PositionRow. A statement
// that reads the position along with other things embeds it; read it with
// the company row locked to decide on an order.
func PositionSQL(c, exclude string) string {
	// Receivables and Overdue come from issued invoices. Nothing is invoiced
	// before the invoicing area exists, so both stay zero until it adds its
	// figures here, in this one place of the credit check.
	return c + `.payment_terms AS credit_terms, ` + c + `.credit_limit_cents AS credit_limit_cents,
		COALESCE((SELECT sum(o.total_incl_cents) FROM orders o
			WHERE o.company_id = ` + c + `.id AND o.state = 'placed' AND o.credit_hold <> 'held' AND o.id <> ` + exclude + `), 0) AS credit_open_orders_cents`
}

// PositionRow is what PositionSQL reads.
type PositionRow struct {
	Terms      string `bun:"credit_terms"`
	LimitCents int64  `bun:"credit_limit_cents"`
	OpenOrders int64  `bun:"credit_open_orders_cents"`
}

// Position is the credit position the row describes.
func (r PositionRow) Position() Position {
	return Position{Prepayment: r.Terms == "prepayment", LimitCents: r.LimitCents, OpenOrders: r.OpenOrders}
}

// position is prepared: every order placed runs it.
var position = postgres.NewStmt("credit_position", `SELECT `+PositionSQL("c", "?0")+` FROM companies c WHERE c.id = ?1`)

// Of returns the company's position. Orders other than excludeOrderID count;
// call it with the company row locked (FOR NO KEY UPDATE) to decide on an
// order, so that concurrent orders of one customer are decided one after another.
func Of(ctx context.Context, db bun.IDB, companyID, excludeOrderID int64, now time.Time) (Position, error) {
	var row PositionRow
	err := postgres.NewBatch(db).Stmt(position, excludeOrderID, companyID).Scan(ctx, db, &row)
	return row.Position(), err
}

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
