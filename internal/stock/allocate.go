package stock

import (
	"context"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"wholesale/internal/audit"
)

// Allocation is stock given to a waiting demand.
type Allocation struct {
	DemandID    int64  `bun:"id"`
	ProductID   int64  `bun:"product_id"`
	CompanyID   int64  `bun:"company_id"`
	Reference   string `bun:"reference"`
	WarehouseID int64  `bun:"warehouse_id"`
	Quantity    int    `bun:"take"`
}

// allocate gives the free stock of the products to their waiting demands:
// priority first, then first come, first served by the time placed, main
// warehouse first. The caller holds the stock rows' locks (lockStock).
// Every allocation is written to the audit trail. It works on whole sets in
// a few statements, whatever the number of demands.
func allocate(ctx context.Context, tx bun.IDB, now time.Time, productIDs []int64) ([]Allocation, error) {
	if len(productIDs) == 0 {
		return nil, nil
	}
	ids := pgdialect.Array(productIDs)
	if _, err := tx.ExecContext(ctx, `SELECT 1 FROM demands WHERE product_id = ANY(?) AND status = 'open' AND reserved < quantity
		ORDER BY id FOR UPDATE`, ids); err != nil {
		return nil, err
	}
	whs, err := Warehouses(ctx, tx)
	if err != nil {
		return nil, err
	}
	var all []Allocation
	for _, wh := range whs {
		var got []Allocation
		err := tx.NewRaw(`
WITH free AS (
  SELECT product_id, on_hand - reserved AS free FROM stock
  WHERE warehouse_id = ? AND product_id = ANY(?) AND on_hand > reserved
), w AS (
  SELECT d.id, d.product_id, d.company_id, d.reference, d.quantity - d.reserved AS want,
         sum(d.quantity - d.reserved) OVER (PARTITION BY d.product_id ORDER BY d.priority DESC, d.placed_at, d.id) - (d.quantity - d.reserved) AS before
  FROM demands d
  WHERE d.status = 'open' AND d.reserved < d.quantity AND d.product_id IN (SELECT product_id FROM free)
)
SELECT w.id, w.product_id, w.company_id, w.reference, ?::bigint AS warehouse_id, LEAST(w.want, f.free - w.before) AS take
FROM w JOIN free f USING (product_id)
WHERE f.free > w.before
ORDER BY w.id`, wh.ID, ids, wh.ID).Scan(ctx, &got)
		if err != nil {
			return nil, err
		}
		if len(got) == 0 {
			continue
		}
		if err := applyAllocations(ctx, tx, now, wh.ID, got); err != nil {
			return nil, err
		}
		all = append(all, got...)
	}
	return all, nil
}

// applyAllocations books allocations of one warehouse: demands, their
// reservations, the stock's reserved count and the audit trail, each in one statement.
func applyAllocations(ctx context.Context, tx bun.IDB, now time.Time, warehouseID int64, allocs []Allocation) error {
	n := len(allocs)
	ids, products, takes, refs := make([]int64, n), make([]int64, n), make([]int64, n), make([]string, n)
	for i, a := range allocs {
		ids[i], products[i], takes[i], refs[i] = a.DemandID, a.ProductID, int64(a.Quantity), a.Reference
	}
	A := pgdialect.Array
	if _, err := tx.ExecContext(ctx, `UPDATE demands d SET reserved = d.reserved + x.take,
		expected_date = CASE WHEN d.reserved + x.take = d.quantity THEN NULL ELSE d.expected_date END
		FROM unnest(?::bigint[], ?::bigint[]) AS x(id, take) WHERE d.id = x.id`, A(ids), A(takes)); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO demand_reservations (demand_id, warehouse_id, quantity)
		SELECT x.id, ?, x.take FROM unnest(?::bigint[], ?::bigint[]) AS x(id, take)
		ON CONFLICT (demand_id, warehouse_id) DO UPDATE SET quantity = demand_reservations.quantity + EXCLUDED.quantity`,
		warehouseID, A(ids), A(takes)); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE stock s SET reserved = s.reserved + x.take
		FROM (SELECT p, sum(t) AS take FROM unnest(?::bigint[], ?::bigint[]) AS u(p, t) GROUP BY p) x
		WHERE s.product_id = x.p AND s.warehouse_id = ?`, A(products), A(takes), warehouseID); err != nil {
		return err
	}
	actor := audit.ActorFrom(ctx)
	var actorID *int64
	if actor.UserID != 0 {
		actorID = &actor.UserID
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO audit_log (at, actor_id, actor, entity, entity_id, action, after)
		SELECT ?, ?, ?, 'demand', x.id::text, 'allocate',
		       jsonb_build_object('product_id', x.p, 'warehouse_id', ?::bigint, 'quantity', x.take, 'reference', x.ref)
		FROM unnest(?::bigint[], ?::bigint[], ?::bigint[], ?::text[]) AS x(id, p, take, ref)`,
		now, actorID, actor.Label, warehouseID, A(ids), A(products), A(takes), A(refs))
	return err
}

// recomputeExpected sets the expected date of every waiting demand of the
// products: the date of the supply that, in supply-date order, covers it
// after the demands ahead of it; none when supply runs out.
func recomputeExpected(ctx context.Context, tx bun.IDB, productIDs []int64) error {
	if len(productIDs) == 0 {
		return nil
	}
	ids := pgdialect.Array(productIDs)
	_, err := tx.ExecContext(ctx, `
WITH sup AS (
  SELECT l.product_id, o.expected_date, o.date_confirmed, l.quantity - l.received AS qty,
         sum(l.quantity - l.received) OVER (PARTITION BY l.product_id ORDER BY o.expected_date, l.id) AS cum
  FROM supplier_order_lines l JOIN supplier_orders o ON o.id = l.supplier_order_id
  WHERE o.status = 'open' AND l.received < l.quantity AND l.product_id = ANY(?)
), dem AS (
  SELECT d.id, d.product_id,
         sum(d.quantity - d.reserved) OVER (PARTITION BY d.product_id ORDER BY d.priority DESC, d.placed_at, d.id) AS cum
  FROM demands d WHERE d.status = 'open' AND d.reserved < d.quantity AND d.product_id = ANY(?)
), pick AS (
  SELECT dem.id, sup.expected_date, COALESCE(sup.date_confirmed, false) AS confirmed
  FROM dem LEFT JOIN sup ON sup.product_id = dem.product_id AND dem.cum > sup.cum - sup.qty AND dem.cum <= sup.cum
)
UPDATE demands d SET expected_date = pick.expected_date, expected_confirmed = pick.confirmed
FROM pick WHERE d.id = pick.id
  AND (d.expected_date IS DISTINCT FROM pick.expected_date OR d.expected_confirmed <> pick.confirmed)`, ids, ids)
	return err
}
