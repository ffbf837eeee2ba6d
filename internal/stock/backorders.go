package stock

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/i18n"
	"wholesale/internal/postgres"
	"wholesale/internal/xlsx"
)

// BackOrder is a waiting demand as the overview shows it.
type BackOrder struct {
	DemandID          int64      `bun:"id" json:"demand_id"`
	ProductID         int64      `bun:"product_id" json:"product_id"`
	SKU               string     `bun:"sku" json:"sku"`
	ProductName       string     `bun:"product_name" json:"product_name"`
	CompanyID         int64      `bun:"company_id" json:"company_id"`
	Company           string     `bun:"company" json:"company"`
	Reference         Reference  `bun:"reference" json:"reference"`
	Quantity          int        `bun:"quantity" json:"quantity"`
	Waiting           int        `bun:"waiting" json:"waiting"`
	PlacedAt          time.Time  `bun:"placed_at" json:"placed_at"`
	Priority          bool       `bun:"priority" json:"priority"`
	ExpectedDate      *time.Time `bun:"expected_date,type:date" json:"expected_date"`
	ExpectedConfirmed bool       `bun:"expected_confirmed" json:"expected_confirmed"`
	// FromSupplierStock says the date is the supplier's lead time from its own stock.
	FromSupplierStock bool `bun:"expected_from_supplier_stock" json:"expected_from_supplier_stock"`
	// PromisedDate is the date the customer was given: the line's first
	// expected date, or the one the account manager told since.
	PromisedDate *time.Time `bun:"promised_date,type:date" json:"promised_date"`
	// MovedAt is when the expected date last changed after it was promised.
	MovedAt *time.Time `bun:"expected_moved_at" json:"expected_moved_at,omitempty"`
}

// Moved tells whether the expected date is no longer the promised one.
func (b BackOrder) Moved() bool {
	if b.PromisedDate == nil {
		return false
	}
	return b.ExpectedDate == nil || !b.ExpectedDate.Equal(*b.PromisedDate)
}

// Expected is the expected date for people, in the reader's language, or
// what to do when there is none.
func (b BackOrder) Expected() i18n.Message {
	if b.ExpectedDate == nil {
		return i18n.M("not ordered yet")
	}
	d := i18n.D(*b.ExpectedDate)
	switch {
	case b.FromSupplierStock:
		return i18n.M("%s (from our supplier's stock)", d)
	case !b.ExpectedConfirmed:
		return i18n.M("%s (not confirmed)", d)
	}
	return i18n.M("%s (confirmed)", d)
}

// BackOrderFilter narrows the overview. ManagerID > 0 shows that account
// manager's customers only; CompanyID > 0 one customer's; Moved only the
// lines whose expected date is no longer the promised one.
type BackOrderFilter struct {
	ManagerID int64
	CompanyID int64
	ProductID int64
	Moved     bool
	// Offset skips that many lines of the list; Limit (0: 5,000) caps it.
	Offset, Limit int
}

// BackOrders lists the waiting demands per product, in the order they will
// be served.
func BackOrders(ctx context.Context, db bun.IDB, f BackOrderFilter) ([]BackOrder, error) {
	if f.Limit <= 0 {
		f.Limit = 5000
	}
	var out []BackOrder
	if s := backOrderStmt(f); s != nil {
		args := []any{f.Limit, f.Offset}
		if f.ManagerID > 0 {
			args = append(args, f.ManagerID)
		}
		return out, postgres.ScanStmtIn(ctx, db, s, args, &out)
	}
	q := db.NewSelect().TableExpr("demands AS d").ColumnExpr(backOrderColumns).
		Join("JOIN products AS p ON p.id = d.product_id").
		Where(backOrderWaiting).OrderExpr(backOrderOrder).Limit(int64(f.Limit))
	if f.ManagerID > 0 { // the manager's customers: joined, to filter on them
		q = q.ColumnExpr(backOrderCompanyJoined).Join("JOIN companies AS c ON c.id = d.company_id").Where("c.account_manager_id = ?", f.ManagerID)
	} else { // looked up for the page's rows only, after the sort and limit
		q = q.ColumnExpr(backOrderCompanyLookup)
	}
	if f.CompanyID > 0 {
		q = q.Where("d.company_id = ?", f.CompanyID)
	}
	if f.ProductID > 0 {
		q = q.Where("d.product_id = ?", f.ProductID)
	}
	if f.Offset > 0 {
		q = q.Offset(int64(f.Offset))
	}
	if f.Moved {
		q = q.Where(movedSQL)
	}
	return out, q.Scan(ctx, &out)
}

// The parts of BackOrders' query, built with bun or prepared.
const (
	backOrderColumns = `d.id, d.product_id, p.sku, p.name AS product_name, d.company_id, d.reference,
		d.quantity, d.quantity - d.reserved AS waiting, d.placed_at, d.priority, d.expected_date, d.expected_confirmed, d.expected_from_supplier_stock,
		d.promised_date, d.expected_moved_at`
	backOrderWaiting       = "d.status = 'open' AND d.quantity - d.reserved > 0" // demands_open_waiting_idx, estimated by demands_waiting_stats
	backOrderOrder         = "p.sku, d.priority DESC, d.placed_at, d.id"
	backOrderCompanyJoined = "c.name AS company"
	backOrderCompanyLookup = "(SELECT c.name FROM companies c WHERE c.id = d.company_id) AS company"
)

// backOrderStmt is the prepared statement of BackOrders for the filters of
// the back-order page (everyone's lines or an account manager's, all or
// the moved ones), which runs on every load: planning the query cost
// PostgreSQL more than running it. nil for other filters. Its arguments:
// the limit, the offset, then the manager.
func backOrderStmt(f BackOrderFilter) *postgres.Stmt {
	if f.CompanyID > 0 || f.ProductID > 0 {
		return nil
	}
	return backOrderStmts[backOrderKey{manager: f.ManagerID > 0, moved: f.Moved}]
}

type backOrderKey struct{ manager, moved bool }

var backOrderStmts = func() map[backOrderKey]*postgres.Stmt {
	out := map[backOrderKey]*postgres.Stmt{}
	for _, k := range []backOrderKey{{false, false}, {false, true}, {true, false}, {true, true}} {
		name, sel, where := "stock_back_orders", backOrderCompanyLookup, ""
		from := "demands AS d JOIN products AS p ON p.id = d.product_id"
		if k.manager {
			name, sel, where = name+"_of_manager", backOrderCompanyJoined, " AND c.account_manager_id = ?2"
			from += " JOIN companies AS c ON c.id = d.company_id"
		}
		if k.moved {
			name, where = name+"_moved", where+" AND "+movedSQL
		}
		out[k] = postgres.NewStmt(name, "SELECT "+backOrderColumns+", "+sel+" FROM "+from+
			" WHERE "+backOrderWaiting+where+" ORDER BY "+backOrderOrder+" LIMIT ?0 OFFSET ?1")
	}
	return out
}()

// ExportBackOrders writes the overview as .xlsx (or CSV).
func ExportBackOrders(ctx context.Context, db bun.IDB, w io.Writer, format string, f BackOrderFilter) error {
	f.Limit = 1_000_000
	list, err := BackOrders(ctx, db, f)
	if err != nil {
		return err
	}
	out, err := xlsx.NewWriter(w, format, "Back orders", []string{"sku", "product", "customer", "reference", "ordered", "waiting", "placed", "priority", "expected", "confirmed"})
	if err != nil {
		return err
	}
	for _, b := range list {
		exp := ""
		if b.ExpectedDate != nil {
			exp = b.ExpectedDate.Format("2006-01-02")
		}
		prio := map[bool]string{true: "yes", false: ""}[b.Priority]
		conf := map[bool]string{true: "yes", false: "no"}[b.ExpectedConfirmed]
		if err := out.Row(b.SKU, b.ProductName, b.Company, b.Reference.String(), b.Quantity, b.Waiting,
			b.PlacedAt.UTC().Format(time.RFC3339), prio, exp, conf); err != nil {
			return fmt.Errorf("stock: export back orders: %w", err)
		}
	}
	return out.Close()
}
