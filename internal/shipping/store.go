package shipping

import (
	"context"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"wholesale/internal/i18n"
	"wholesale/internal/postgres"
)

// released is the condition of an order released to the warehouse and not
// shipped in full (migration 0025's orders_to_ship_idx serves it).
const released = "o.state = 'placed' AND o.ship_state <> 'all' AND o.status IN ('released', 'partly_shipped')"

// ToShip returns the released orders not shipped in full, oldest
// first (by the time they were placed), at most limit (1 to 500; 200 when
// out of range), each with what of it is ready to ship: the warehouse's
// work list.
func ToShip(ctx context.Context, db bun.IDB, limit int) ([]OrderToShip, error) {
	if limit <= 0 || limit > 500 {
		limit = 200
	}
	var out []OrderToShip
	err := db.NewRaw(`SELECT o.id, c.name AS company_name, o.po_reference, o.placed_at, o.status, o.ship_complete,
		       count(*) FILTER (WHERE NOT l.cancelled AND l.shipped < l.quantity) AS lines,
		       count(*) FILTER (WHERE NOT l.cancelled AND COALESCE(d.reserved, 0) > l.shipped) AS lines_ready,
		       COALESCE(sum(GREATEST(COALESCE(d.reserved, 0) - l.shipped, 0)) FILTER (WHERE NOT l.cancelled), 0) AS units_ready,
		       bool_and(l.cancelled OR COALESCE(d.reserved, 0) >= l.quantity) AS complete_ready
		FROM orders o
		JOIN companies c ON c.id = o.company_id
		JOIN order_lines l ON l.order_id = o.id
		LEFT JOIN demands d ON d.id = l.demand_id
		WHERE `+released+`
		GROUP BY o.id, c.name
		ORDER BY o.placed_at, o.id
		LIMIT ?`, limit).Scan(ctx, &out)
	return out, err
}

// CountToShip returns how many orders ToShip lists and when the oldest
// of them was placed (nil when there are none).
func CountToShip(ctx context.Context, db bun.IDB) (int, *time.Time, error) {
	var row struct {
		N      int        `bun:"n"`
		Oldest *time.Time `bun:"oldest"`
	}
	err := db.NewRaw(`SELECT count(*) AS n, min(o.placed_at) AS oldest FROM orders o WHERE `+released).Scan(ctx, &row)
	return row.N, row.Oldest, err
}

// ForOrder returns the shipments of an order, oldest first, with their
// lines in the order's line order. Who may see them is the caller's to
// check.
func ForOrder(ctx context.Context, db bun.IDB, orderID int64) ([]Shipment, error) {
	var list []Shipment
	if err := db.NewSelect().Model(&list).Where("sh.order_id = ?", orderID).OrderExpr("sh.shipped_on, sh.id").Scan(ctx); err != nil {
		return nil, err
	}
	return list, withLines(ctx, db, list)
}

// ByID returns one shipment with its lines. Returns NotFound.
func ByID(ctx context.Context, db bun.IDB, id int64) (*Shipment, error) {
	sh := new(Shipment)
	if err := db.NewSelect().Model(sh).Where("sh.id = ?", id).Scan(ctx); err != nil {
		return nil, postgres.Translate(err, i18n.M("Shipment"))
	}
	list := []Shipment{*sh}
	err := withLines(ctx, db, list)
	return &list[0], err
}

// withLines reads the lines of the shipments into them.
func withLines(ctx context.Context, db bun.IDB, list []Shipment) error {
	if len(list) == 0 {
		return nil
	}
	ids := make([]int64, len(list))
	at := map[int64]int{}
	for i := range list {
		ids[i], at[list[i].ID] = list[i].ID, i
	}
	var lines []Line
	err := db.NewSelect().Model(&lines).ColumnExpr("sl.*, ol.line_no, p.sku, p.name").
		Join("JOIN order_lines AS ol ON ol.id = sl.order_line_id").
		Join("JOIN products AS p ON p.id = ol.product_id").
		Where("sl.shipment_id = ANY(?)", pgdialect.Array(ids)).OrderExpr("sl.shipment_id, ol.line_no").Scan(ctx)
	for _, l := range lines {
		sh := &list[at[l.ShipmentID]]
		sh.Lines = append(sh.Lines, l)
	}
	return err
}
