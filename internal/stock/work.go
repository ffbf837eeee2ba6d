package stock

import (
	"context"
	"time"
	"wholesale/internal/i18n"

	"github.com/uptrace/bun"

	"wholesale/internal/audit"
	"wholesale/internal/postgres"
)

// DueWithinDays is how far ahead the warehouse looks for supplier
// deliveries: those expected within this many days, late ones included.
const DueWithinDays = 7

// DueBy returns the last expected date of the supplier deliveries due at
// now: the business day of now plus DueWithinDays.
func DueBy(now time.Time) time.Time { return BusinessDay(now).AddDate(0, 0, DueWithinDays) }

// CountDeliveriesDue returns how many open supplier orders are expected on
// or before until, and the earliest expected date among them (nil for none).
func CountDeliveriesDue(ctx context.Context, db bun.IDB, until time.Time) (int, *time.Time, error) {
	var row struct {
		N        int        `bun:"n"`
		Earliest *time.Time `bun:"earliest,type:date"`
	}
	err := db.NewSelect().TableExpr("supplier_orders AS so").ColumnExpr("count(*) AS n, min(so.expected_date) AS earliest").
		Where("so.status = 'open' AND so.expected_date <= ?::date", until).Scan(ctx, &row)
	return row.N, row.Earliest, err
}

// movedSQL holds for a waiting line (demands AS d) whose expected date is
// no longer the one promised to the customer.
const movedSQL = "d.promised_date IS NOT NULL AND d.expected_date IS DISTINCT FROM d.promised_date"

// CountMoved returns how many waiting back-order lines have an expected
// date other than the one promised (of the account manager's customers
// when managerID > 0), and when the earliest of those moves was.
func CountMoved(ctx context.Context, db bun.IDB, managerID int64) (int, *time.Time, error) {
	var row struct {
		N      int        `bun:"n"`
		Oldest *time.Time `bun:"oldest"`
	}
	var err error
	if managerID > 0 {
		err = postgres.ScanStmtIn(ctx, db, countMovedOfManager, []any{managerID}, &row)
	} else {
		err = postgres.ScanStmtIn(ctx, db, countMoved, nil, &row)
	}
	return row.N, row.Oldest, err
}

// countMoved and countMovedOfManager (of ?0's customers) are CountMoved's
// statements, prepared: an account manager's home page counts on every
// load, and planning the count cost PostgreSQL more than running it.
var (
	countMoved = postgres.NewStmt("stock_count_moved", `SELECT count(*) AS n, min(d.expected_moved_at) AS oldest FROM demands AS d
		WHERE d.status = 'open' AND d.reserved < d.quantity AND `+movedSQL)
	countMovedOfManager = postgres.NewStmt("stock_count_moved_of_manager", `SELECT count(*) AS n, min(d.expected_moved_at) AS oldest FROM demands AS d
		JOIN companies AS c ON c.id = d.company_id
		WHERE d.status = 'open' AND d.reserved < d.quantity AND `+movedSQL+` AND c.account_manager_id = ?0`)
)

// Promise records that the customer has been told a waiting line's new
// expected date: it becomes the line's promised date, so the line is no
// longer counted as moved. Audited; a line told already is left as it is.
// Returns NotFound (no waiting line).
func (s *Service) Promise(ctx context.Context, demandID int64) error {
	return postgres.Run(ctx, s.DB, postgres.Retrying, func(ctx context.Context, tx *postgres.Tx) error {
		var d struct {
			Expected *time.Time `bun:"expected_date,type:date"`
			Promised *time.Time `bun:"promised_date,type:date"`
		}
		err := tx.NewSelect().TableExpr("demands").ColumnExpr("expected_date, promised_date").
			Where("id = ? AND status = 'open' AND reserved < quantity", demandID).For("UPDATE").Scan(ctx, &d)
		if err != nil {
			return postgres.Translate(err, i18n.M("Back order"))
		}
		if sameDate(d.Expected, d.Promised) {
			return nil // told already (a second click, say)
		}
		if _, err := tx.ExecContext(ctx, "UPDATE demands SET promised_date = expected_date WHERE id = ?", demandID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, s.Clock.Now(), audit.Change{Entity: "demand", EntityID: demandID, Action: "promise",
			Before: map[string]any{"promised_date": d.Promised}, After: map[string]any{"promised_date": d.Expected}})
	})
}

func sameDate(a, b *time.Time) bool {
	return a == nil && b == nil || a != nil && b != nil && a.Equal(*b)
}
