package stock

import (
	"context"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"wholesale/internal/apperr"
	"wholesale/internal/audit"
	"wholesale/internal/postgres"
)

// ShipLine is a quantity of a demand that leaves the warehouse.
type ShipLine struct {
	DemandID int64
	Quantity int
}

// Taken is what a shipment took for one demand from one warehouse.
type Taken struct {
	DemandID    int64 `json:"demand_id"`
	WarehouseID int64 `json:"warehouse_id"`
	Quantity    int   `json:"quantity"`
}

// TakeShipped takes shipped goods out of stock within the caller's
// transaction. Each line's quantity comes out of its demand's
// reservations, main warehouse first, and lowers the stock's on hand and
// reserved alike (what is free for others does not change); the demand
// counts it as shipped (its reserved keeps counting what it got, shipped
// included) and is 'shipped' once all of it is. The products' stock rows
// are locked first, as every change of their demands is. Returns NotFound,
// Conflict (a demand not open, or with less reserved and unshipped than
// asked).
func TakeShipped(ctx context.Context, tx bun.IDB, now time.Time, lines []ShipLine) ([]Taken, error) {
	if len(lines) == 0 {
		return nil, nil
	}
	ids := make([]int64, len(lines))
	for i, l := range lines {
		ids[i] = l.DemandID
	}
	var products []int64
	if err := tx.NewSelect().Table("demands").ColumnExpr("DISTINCT product_id").Where("id = ANY(?)", pgdialect.Array(ids)).
		OrderExpr("product_id").Scan(ctx, &products); err != nil {
		return nil, err
	}
	if err := lockStock(ctx, tx, products); err != nil {
		return nil, err
	}
	var demands []struct {
		ID        int64  `bun:"id"`
		ProductID int64  `bun:"product_id"`
		Quantity  int    `bun:"quantity"`
		Reserved  int    `bun:"reserved"`
		Shipped   int    `bun:"shipped"`
		Status    string `bun:"status"`
	}
	if err := tx.NewSelect().Table("demands").Column("id", "product_id", "quantity", "reserved", "shipped", "status").
		Where("id = ANY(?)", pgdialect.Array(ids)).Scan(ctx, &demands); err != nil {
		return nil, err
	}
	var held []struct {
		DemandID    int64 `bun:"demand_id"`
		WarehouseID int64 `bun:"warehouse_id"`
		Quantity    int   `bun:"quantity"`
	}
	if err := tx.NewSelect().TableExpr("demand_reservations AS r").ColumnExpr("r.demand_id, r.warehouse_id, r.quantity").
		Join("JOIN warehouses AS w ON w.id = r.warehouse_id").Where("r.demand_id = ANY(?)", pgdialect.Array(ids)).
		OrderExpr("r.demand_id, w.is_main DESC, w.lead_days, w.id").Scan(ctx, &held); err != nil {
		return nil, err
	}
	productOf := map[int64]int64{}
	byID := map[int64]int{}
	for i, d := range demands {
		productOf[d.ID], byID[d.ID] = d.ProductID, i
	}
	var taken []Taken
	var changes []audit.Change
	for _, l := range lines {
		i, ok := byID[l.DemandID]
		if !ok {
			return nil, apperr.NotFoundf("Back order not found.")
		}
		d := &demands[i]
		if d.Status != "open" || l.Quantity <= 0 || d.Shipped+l.Quantity > d.Reserved {
			return nil, apperr.Conflictf("Only %d of this line are reserved and not yet shipped.", max(d.Reserved-d.Shipped, 0))
		}
		want := l.Quantity
		var from []Taken
		for k := range held {
			r := &held[k]
			if r.DemandID != d.ID || r.Quantity == 0 || want == 0 {
				continue
			}
			q := min(r.Quantity, want)
			r.Quantity -= q
			want -= q
			from = append(from, Taken{DemandID: d.ID, WarehouseID: r.WarehouseID, Quantity: q})
		}
		if want > 0 {
			return nil, apperr.Conflictf("Only %d of this line are reserved and not yet shipped.", l.Quantity-want)
		}
		d.Shipped += l.Quantity
		status := d.Status
		if d.Shipped == d.Quantity {
			status = "shipped"
		}
		taken = append(taken, from...)
		changes = append(changes, audit.Change{Entity: "demand", EntityID: d.ID, Action: "ship",
			Before: map[string]any{"shipped": d.Shipped - l.Quantity, "status": d.Status},
			After:  map[string]any{"shipped": d.Shipped, "status": status, "quantity": l.Quantity, "reservations": from}})
		d.Status = status
	}
	A := pgdialect.Array
	var dIDs, wIDs, qty, pIDs []int64
	for _, t := range taken {
		dIDs, wIDs, qty, pIDs = append(dIDs, t.DemandID), append(wIDs, t.WarehouseID), append(qty, int64(t.Quantity)), append(pIDs, productOf[t.DemandID])
	}
	var shipIDs, shipQty []int64
	for _, l := range lines {
		shipIDs, shipQty = append(shipIDs, l.DemandID), append(shipQty, int64(l.Quantity))
	}
	b := postgres.NewBatch(tx).
		Raw(`WITH x AS (SELECT d, w, sum(q) AS q FROM unnest(?0::bigint[], ?1::bigint[], ?2::bigint[]) AS x(d, w, q) GROUP BY d, w),
			gone AS (DELETE FROM demand_reservations r USING x WHERE r.demand_id = x.d AND r.warehouse_id = x.w AND r.quantity = x.q)
			UPDATE demand_reservations r SET quantity = r.quantity - x.q FROM x
			WHERE r.demand_id = x.d AND r.warehouse_id = x.w AND r.quantity > x.q`, A(dIDs), A(wIDs), A(qty)).
		Raw(`UPDATE stock s SET on_hand = s.on_hand - x.q, reserved = s.reserved - x.q
			FROM (SELECT p, w, sum(q) AS q FROM unnest(?0::bigint[], ?1::bigint[], ?2::bigint[]) AS x(p, w, q) GROUP BY p, w) AS x
			WHERE s.product_id = x.p AND s.warehouse_id = x.w`, A(pIDs), A(wIDs), A(qty)).
		Raw(`UPDATE demands d SET shipped = d.shipped + x.q, status = CASE WHEN d.shipped + x.q = d.quantity THEN 'shipped' ELSE d.status END
			FROM (SELECT d, sum(q) AS q FROM unnest(?0::bigint[], ?1::bigint[]) AS x(d, q) GROUP BY d) AS x WHERE d.id = x.d`, A(shipIDs), A(shipQty))
	if err := b.Exec(ctx, tx); err != nil {
		return nil, err
	}
	return taken, audit.RecordMany(ctx, tx, now, changes)
}
