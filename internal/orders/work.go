package orders

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

// CountByStatus returns how many orders have status (of the account
// manager's customers when managerID > 0) and when the oldest of them was
// placed (entered, for drafts); nil when there are none. The lists it
// counts are List with Filter{Status: status} and, for held orders, Held.
func CountByStatus(ctx context.Context, db bun.IDB, status Status, managerID int64) (int, *time.Time, error) {
	var row struct {
		N      int        `bun:"n"`
		Oldest *time.Time `bun:"oldest"`
	}
	q := db.NewSelect().TableExpr("orders AS o").ColumnExpr("count(*) AS n, min(COALESCE(o.placed_at, o.created_at)) AS oldest").
		Where("o.status = ?", status)
	if managerID > 0 {
		q = q.Join("JOIN companies AS c ON c.id = o.company_id").Where("c.account_manager_id = ?", managerID)
	}
	err := q.Scan(ctx, &row)
	return row.N, row.Oldest, err
}

// CountOfCompany counts one company's orders with status, and when the
// oldest of them was placed: a customer's own work on its home page.
func CountOfCompany(ctx context.Context, db bun.IDB, status Status, companyID int64) (int, *time.Time, error) {
	var row struct {
		N      int        `bun:"n"`
		Oldest *time.Time `bun:"oldest"`
	}
	err := db.NewSelect().TableExpr("orders AS o").ColumnExpr("count(*) AS n, min(COALESCE(o.placed_at, o.created_at)) AS oldest").
		Where("o.company_id = ? AND o.status = ?", companyID, status).Scan(ctx, &row)
	return row.N, row.Oldest, err
}
