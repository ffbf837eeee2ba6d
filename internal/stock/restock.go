package stock

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/apperr"
	"wholesale/internal/audit"
	"wholesale/internal/i18n"
	"wholesale/internal/postgres"
)

// Restock books units that came back and were tested good into the main
// warehouse's stock, within the caller's transaction, and gives them to
// waiting back orders as a supplier delivery would (allocate, the expected
// dates of the rest, mail to the account managers). ref says where they
// came from for the audit trail (an RA number). Returns Invalid when the
// stock would pass MaxOnHand.
func Restock(ctx context.Context, tx bun.IDB, now time.Time, productID int64, quantity int, ref string) error {
	if quantity <= 0 {
		return nil
	}
	if err := lockStock(ctx, tx, []int64{productID}); err != nil {
		return err
	}
	var wh int64
	if err := tx.NewSelect().Table("warehouses").Column("id").Where("is_main").Scan(ctx, &wh); err != nil {
		return err
	}
	_, err := tx.NewRaw(`INSERT INTO stock (product_id, warehouse_id, on_hand, reserved) VALUES (?, ?, ?, 0)
		ON CONFLICT (product_id, warehouse_id) DO UPDATE SET on_hand = stock.on_hand + EXCLUDED.on_hand`, productID, wh, quantity).Exec(ctx)
	if err != nil {
		if postgres.Constraint(err) == "stock_on_hand_max" {
			return apperr.FieldErrors{"good_units": i18n.M("A warehouse holds at most %s pieces of a product.", i18n.Num(MaxOnHand))}.Err()
		}
		return err
	}
	if err := audit.Record(ctx, tx, now, audit.Change{Entity: "stock", EntityID: productID, Action: "restock",
		After: map[string]any{"warehouse_id": wh, "quantity": quantity, "reference": ref}}); err != nil {
		return err
	}
	allocs, err := allocate(ctx, tx, now, []int64{productID})
	if err != nil {
		return err
	}
	if err := recomputeExpected(ctx, tx, now, []int64{productID}); err != nil {
		return err
	}
	return notifyManagers(ctx, tx, now, allocs)
}
