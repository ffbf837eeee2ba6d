package stock

import (
	"context"
	"time"
	"wholesale/internal/i18n"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"wholesale/internal/clock"
	"wholesale/internal/postgres"
)

// Service holds the use cases of stock and supply.
type Service struct {
	DB    *bun.DB
	Clock clock.Clock
}

// Warehouse is a place where stock is kept.
type Warehouse struct {
	bun.BaseModel `bun:"table:warehouses,alias:w"`

	ID       int64  `bun:"id,pk,autoincrement" json:"id"`
	Code     string `bun:"code" json:"code"`
	Name     string `bun:"name" json:"name"`
	IsMain   bool   `bun:"is_main" json:"is_main"`
	LeadDays int    `bun:"lead_days" json:"lead_days"`
}

// Warehouses lists the warehouses, the main one first.
func Warehouses(ctx context.Context, db bun.IDB) ([]Warehouse, error) {
	var out []Warehouse
	return out, db.NewSelect().Model(&out).OrderExpr("w.is_main DESC, w.lead_days, w.id").Scan(ctx)
}

// Demand is what one order line needs of a product.
type Demand struct {
	bun.BaseModel `bun:"table:demands,alias:dm"`

	ID                int64      `bun:"id,pk,autoincrement" json:"id"`
	ProductID         int64      `bun:"product_id" json:"product_id"`
	CompanyID         int64      `bun:"company_id" json:"company_id"`
	Reference         Reference  `bun:"reference" json:"reference"`
	Quantity          int        `bun:"quantity" json:"quantity"`
	Reserved          int        `bun:"reserved" json:"reserved"`
	Shipped           int        `bun:"shipped" json:"shipped"`
	PlacedAt          time.Time  `bun:"placed_at" json:"placed_at"`
	Priority          bool       `bun:"priority" json:"priority"`
	ExpectedDate      *time.Time `bun:"expected_date,type:date" json:"expected_date,omitempty"`
	ExpectedConfirmed bool       `bun:"expected_confirmed" json:"expected_confirmed"`
	// ExpectedFromSupplierStock says the expected date is the day the line
	// was covered by our supplier's stock plus the supplier's lead time.
	ExpectedFromSupplierStock bool   `bun:"expected_from_supplier_stock" json:"expected_from_supplier_stock"`
	Status                    string `bun:"status" json:"status"`
}

// Waiting is the back-ordered part of the demand.
func (d *Demand) Waiting() int { return d.Quantity - d.Reserved }

// DemandByID returns a demand.
func DemandByID(ctx context.Context, db bun.IDB, id int64) (*Demand, error) {
	d := new(Demand)
	return d, postgres.Translate(db.NewSelect().Model(d).Where("dm.id = ?", id).Scan(ctx), i18n.M("Back order"))
}

// statusFacts is one row of the status query.
type statusFacts struct {
	ProductID           int64      `bun:"product_id"`
	AvailableMain       int        `bun:"avail_main"`
	AvailableRemote     int        `bun:"avail_remote"`
	RemoteLeadDays      int        `bun:"remote_lead"`
	FreeSupplyDate      *time.Time `bun:"free_date,type:date"`
	FreeSupplyConfirmed bool       `bun:"free_confirmed"`
	Supply              string     `bun:"supply"`
	SupplierFree        int        `bun:"supplier_free"`
	SupplierLead        int        `bun:"supplier_lead"`
}

// Statuses derives the stock status of each product as of now (its
// business date in Europe/Amsterdam gives the date of an order from our
// supplier's stock).
func Statuses(ctx context.Context, db bun.IDB, now time.Time, productIDs []int64) (map[int64]Status, error) {
	var rows []statusFacts
	err := db.NewRaw(`
SELECT p.id AS product_id, p.supply,
  COALESCE(m.avail, 0) AS avail_main, COALESCE(r.avail, 0) AS avail_remote, COALESCE(r.lead, 0) AS remote_lead,
  fs.expected_date AS free_date, COALESCE(fs.date_confirmed, false) AS free_confirmed,
  COALESCE(ss.quantity, 0) - GREATEST(wt.qty - os.qty, 0) AS supplier_free, COALESCE(ss.lead_days, 0) AS supplier_lead
FROM products p
LEFT JOIN supplier_stock ss ON ss.product_id = p.id
LEFT JOIN LATERAL (SELECT sum(s.on_hand - s.reserved) AS avail FROM stock s JOIN warehouses w ON w.id = s.warehouse_id
                   WHERE s.product_id = p.id AND w.is_main) m ON true
LEFT JOIN LATERAL (SELECT sum(s.on_hand - s.reserved) AS avail, min(w.lead_days) AS lead FROM stock s JOIN warehouses w ON w.id = s.warehouse_id
                   WHERE s.product_id = p.id AND NOT w.is_main AND s.on_hand > s.reserved) r ON true
LEFT JOIN LATERAL (SELECT COALESCE(sum(d.quantity - d.reserved), 0) AS qty FROM demands d
                   WHERE d.product_id = p.id AND d.status = 'open' AND d.reserved < d.quantity) wt ON true
LEFT JOIN LATERAL (SELECT COALESCE(sum(l.quantity - l.received), 0) AS qty FROM supplier_order_lines l JOIN supplier_orders o ON o.id = l.supplier_order_id
                   WHERE l.product_id = p.id AND o.status = 'open' AND l.received < l.quantity) os ON true
LEFT JOIN LATERAL (
  SELECT x.expected_date, x.date_confirmed FROM (
    SELECT o.expected_date, o.date_confirmed, sum(l.quantity - l.received) OVER (ORDER BY o.expected_date, l.id) AS cum
    FROM supplier_order_lines l JOIN supplier_orders o ON o.id = l.supplier_order_id
    WHERE l.product_id = p.id AND o.status = 'open' AND l.received < l.quantity) x
  WHERE x.cum > wt.qty ORDER BY x.cum LIMIT 1) fs ON true
WHERE p.id = ANY(?)`, pgdialect.Array(productIDs)).Scan(ctx, &rows)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]Status, len(rows))
	for _, r := range rows {
		out[r.ProductID] = Derive(Facts{AvailableMain: r.AvailableMain, AvailableRemote: r.AvailableRemote, RemoteLeadDays: r.RemoteLeadDays,
			FreeSupplyDate: r.FreeSupplyDate, FreeSupplyConfirmed: r.FreeSupplyConfirmed, Supply: r.Supply,
			SupplierStockFree: r.SupplierFree, SupplierLeadDays: r.SupplierLead, Today: now})
	}
	return out, nil
}

// StockRow is the stock of one product in one warehouse.
type StockRow struct {
	ProductID   int64  `bun:"product_id"`
	SKU         string `bun:"sku"`
	Name        string `bun:"name"`
	WarehouseID int64  `bun:"warehouse_id"`
	Warehouse   string `bun:"warehouse"`
	OnHand      int    `bun:"on_hand"`
	Reserved    int    `bun:"reserved"`
}

// Available is on hand less reserved.
func (r StockRow) Available() int { return r.OnHand - r.Reserved }

// StockOf returns the stock rows of the products (all when nil), by SKU and warehouse.
func StockOf(ctx context.Context, db bun.IDB, productIDs []int64) ([]StockRow, error) {
	var out []StockRow
	q := db.NewSelect().TableExpr("stock AS s").
		ColumnExpr("s.product_id, p.sku, p.name, s.warehouse_id, w.code AS warehouse, s.on_hand, s.reserved").
		Join("JOIN products AS p ON p.id = s.product_id").Join("JOIN warehouses AS w ON w.id = s.warehouse_id").
		OrderExpr("p.sku, w.is_main DESC, w.code")
	if productIDs != nil {
		q = q.Where("s.product_id = ANY(?)", pgdialect.Array(productIDs))
	}
	return out, q.Scan(ctx, &out)
}

// lockStock locks the stock rows of the products in every warehouse (each
// product has one per warehouse, made with it), in a fixed order (product,
// warehouse) so that concurrent use cases never deadlock.
func lockStock(ctx context.Context, tx bun.IDB, productIDs []int64) error {
	_, err := tx.ExecContext(ctx, `SELECT 1 FROM stock WHERE product_id = ANY(?) ORDER BY product_id, warehouse_id FOR UPDATE`,
		pgdialect.Array(productIDs))
	return err
}
