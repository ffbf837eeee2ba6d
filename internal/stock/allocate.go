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
	DemandID    int64     `bun:"id"`
	ProductID   int64     `bun:"product_id"`
	CompanyID   int64     `bun:"company_id"`
	Reference   Reference `bun:"reference"`
	WarehouseID int64     `bun:"warehouse_id"`
	Quantity    int       `bun:"take"`
}

// allocate gives the free stock of the products to their waiting demands:
// priority first, then first come, first served by the time placed, main
// warehouse first. The caller holds the products' stock locks (lockStock):
// a product's demands change only under that lock, so they need no lock of
// their own. Every allocation is audited. One statement per warehouse
// computes and books the allocations, whatever their number.
func allocate(ctx context.Context, tx bun.IDB, now time.Time, productIDs []int64) ([]Allocation, error) {
	if len(productIDs) == 0 {
		return nil, nil
	}
	var whs []int64
	if err := tx.NewSelect().Table("warehouses").Column("id").OrderExpr("is_main DESC, lead_days, id").Scan(ctx, &whs); err != nil {
		return nil, err
	}
	actor := audit.ActorFrom(ctx)
	var actorID *int64
	if actor.UserID != 0 {
		actorID = &actor.UserID
	}
	var all []Allocation
	for _, wh := range whs {
		// A cheap look first: most of the time a warehouse has no free stock
		// of these products, or nothing of them waits.
		var worth bool
		if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM stock WHERE warehouse_id = ?0 AND product_id = ANY(?1) AND on_hand > reserved)
			AND EXISTS (SELECT 1 FROM demands WHERE product_id = ANY(?1) AND status = 'open' AND reserved < quantity)`,
			wh, pgdialect.Array(productIDs)).Scan(&worth); err != nil {
			return nil, err
		}
		if !worth {
			continue
		}
		var got []Allocation
		err := tx.NewRaw(`
WITH free AS (
  SELECT product_id, on_hand - reserved AS free FROM stock
  WHERE warehouse_id = ?0 AND product_id = ANY(?1) AND on_hand > reserved
), w AS (
  SELECT d.id, d.product_id, d.company_id, d.reference, d.quantity - d.reserved AS want,
         sum(d.quantity - d.reserved) OVER (PARTITION BY d.product_id ORDER BY d.priority DESC, d.placed_at, d.id) - (d.quantity - d.reserved) AS before
  FROM demands d
  WHERE d.status = 'open' AND d.reserved < d.quantity AND d.product_id IN (SELECT product_id FROM free)
), a AS (
  SELECT w.id, w.product_id, w.company_id, w.reference, LEAST(w.want, f.free - w.before) AS take
  FROM w JOIN free f USING (product_id) WHERE f.free > w.before
), upd_demands AS (
  UPDATE demands d SET reserved = d.reserved + a.take,
         expected_date = CASE WHEN d.reserved + a.take = d.quantity THEN NULL ELSE d.expected_date END
  FROM a WHERE d.id = a.id
), upd_reservations AS (
  INSERT INTO demand_reservations (demand_id, warehouse_id, quantity) SELECT a.id, ?0, a.take FROM a
  ON CONFLICT (demand_id, warehouse_id) DO UPDATE SET quantity = demand_reservations.quantity + EXCLUDED.quantity
), upd_stock AS (
  UPDATE stock s SET reserved = s.reserved + x.take
  FROM (SELECT product_id, sum(take) AS take FROM a GROUP BY product_id) x
  WHERE s.product_id = x.product_id AND s.warehouse_id = ?0
), audited AS (
  INSERT INTO audit_log (at, actor_id, actor, entity, entity_id, action, after)
  SELECT ?2, ?3, ?4, 'demand', a.id::text, 'allocate',
         jsonb_build_object('product_id', a.product_id, 'warehouse_id', ?0::bigint, 'quantity', a.take, 'reference',
         CASE WHEN a.reference LIKE '{"id":%' THEN a.reference::jsonb ELSE to_jsonb(a.reference) END)
  FROM a
)
SELECT a.id, a.product_id, a.company_id, a.reference, ?0::bigint AS warehouse_id, a.take FROM a ORDER BY a.id`,
			wh, pgdialect.Array(productIDs), now, actorID, actor.Label).Scan(ctx, &got)
		if err != nil {
			return nil, err
		}
		all = append(all, got...)
	}
	return all, nil
}

// recomputeExpected sets the expected date of every waiting demand of the
// products: the date of the open supply that, in supply-date order, covers
// it after the demands ahead of it; past the open supply, as long as our
// supplier's own stock covers it, the business date of now plus the
// supplier's lead time in calendar days (a line already covered so keeps
// its date); none when both run out. A line's first date is its promised
// date; a later change of a promised line's date is stamped as its move.
func recomputeExpected(ctx context.Context, tx bun.IDB, now time.Time, productIDs []int64) error {
	if len(productIDs) == 0 {
		return nil
	}
	ids := pgdialect.Array(productIDs)
	var waiting bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM demands WHERE product_id = ANY(?) AND status = 'open' AND reserved < quantity)`,
		ids).Scan(&waiting); err != nil || !waiting {
		return err // nothing waits: no expected date to set (served lines had theirs cleared)
	}
	_, err := tx.ExecContext(ctx, `
WITH sup AS (
  SELECT l.product_id, o.expected_date, o.date_confirmed, l.quantity - l.received AS qty,
         sum(l.quantity - l.received) OVER (PARTITION BY l.product_id ORDER BY o.expected_date, l.id) AS cum
  FROM supplier_order_lines l JOIN supplier_orders o ON o.id = l.supplier_order_id
  WHERE o.status = 'open' AND l.received < l.quantity AND l.product_id = ANY(?0)
), total AS (
  SELECT product_id, max(cum) AS qty FROM sup GROUP BY product_id
), dem AS (
  SELECT d.id, d.product_id,
         sum(d.quantity - d.reserved) OVER (PARTITION BY d.product_id ORDER BY d.priority DESC, d.placed_at, d.id) AS cum
  FROM demands d WHERE d.status = 'open' AND d.reserved < d.quantity AND d.product_id = ANY(?0)
), pick AS (
  SELECT dem.id, sup.expected_date, COALESCE(sup.date_confirmed, false) AS confirmed,
         sup.expected_date IS NULL AND dem.cum - COALESCE(total.qty, 0) <= COALESCE(ss.quantity, 0) AS from_supplier,
         ?1::date + ss.lead_days AS supplier_date
  FROM dem LEFT JOIN sup ON sup.product_id = dem.product_id AND dem.cum > sup.cum - sup.qty AND dem.cum <= sup.cum
  LEFT JOIN total ON total.product_id = dem.product_id
  LEFT JOIN supplier_stock ss ON ss.product_id = dem.product_id
), dated AS (
  SELECT pick.id, pick.confirmed, pick.from_supplier,
         CASE WHEN NOT pick.from_supplier THEN pick.expected_date
              WHEN d.expected_from_supplier_stock AND d.expected_date IS NOT NULL THEN d.expected_date
              ELSE pick.supplier_date END AS expected_date
  FROM pick JOIN demands d ON d.id = pick.id
)
UPDATE demands d SET expected_date = dated.expected_date, expected_confirmed = dated.confirmed,
       expected_from_supplier_stock = dated.from_supplier,
       promised_date = COALESCE(d.promised_date, dated.expected_date),
       expected_moved_at = CASE WHEN d.promised_date IS NOT NULL AND d.expected_date IS DISTINCT FROM dated.expected_date
                                THEN ?2::timestamptz ELSE d.expected_moved_at END
FROM dated WHERE d.id = dated.id
  AND (d.expected_date IS DISTINCT FROM dated.expected_date OR d.expected_confirmed <> dated.confirmed
       OR d.expected_from_supplier_stock <> dated.from_supplier)`, ids, BusinessDay(now), now.UTC())
	return err
}
