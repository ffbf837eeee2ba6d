package orders

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/postgres"
)

// CountByStatus returns how many orders have status (of the account
// manager's customers when managerID > 0) and when the oldest of them was
// placed (entered, for drafts); nil when there are none. The lists it
// counts are List with Filter{Status: status} and, for held orders, Held.
// It runs a prepared statement of the status (statusCounts): the home
// pages count on every load, and planning the count cost PostgreSQL more
// than running it.
func CountByStatus(ctx context.Context, db bun.IDB, status Status, managerID int64) (int, *time.Time, error) {
	var row struct {
		N      int        `bun:"n"`
		Oldest *time.Time `bun:"oldest"`
	}
	c, ok := statusCounts[status]
	if !ok {
		return 0, nil, fmt.Errorf("orders: no status %q", status)
	}
	var err error
	if managerID > 0 {
		err = postgres.ScanStmtIn(ctx, db, c.ofManager, []any{managerID}, &row)
	} else {
		err = postgres.ScanStmtIn(ctx, db, c.all, nil, &row)
	}
	return row.N, row.Oldest, err
}

// statusCount are the statements that count the orders of one status: of
// everyone's customers, and of an account manager's (?0). The status is
// written into each rather than given: planned once for a parameter, a
// count would be planned for the average status, which none is (nearly
// all orders are invoiced, a few hundred await confirmation).
type statusCount struct{ all, ofManager *postgres.Stmt }

var statusCounts = func() map[Status]statusCount {
	out := map[Status]statusCount{}
	for _, st := range Statuses {
		q := `SELECT count(*) AS n, min(COALESCE(o.placed_at, o.created_at)) AS oldest FROM orders AS o`
		out[st] = statusCount{
			all: postgres.NewStmt("orders_count_"+string(st), q+` WHERE o.status = `+postgres.Literals(st)),
			ofManager: postgres.NewStmt("orders_count_"+string(st)+"_of_manager", q+` JOIN companies AS c ON c.id = o.company_id
				WHERE o.status = `+postgres.Literals(st)+` AND c.account_manager_id = ?0`),
		}
	}
	return out
}()

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
