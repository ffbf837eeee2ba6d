package stock

import (
	"context"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/apperr"
	"wholesale/internal/audit"
	"wholesale/internal/postgres"
)

// DemandInput is what an order line asks of stock.
type DemandInput struct {
	ProductID int64
	CompanyID int64
	Reference string
	Quantity  int
	PlacedAt  time.Time
}

// Reserve records a demand within the caller's transaction: it reserves
// what is available now (main warehouse first) and leaves the rest waiting
// as a back order, with the expected date of the earliest supply not
// promised to earlier back orders. Returns Invalid.
func Reserve(ctx context.Context, tx bun.IDB, now time.Time, in DemandInput) (*Demand, error) {
	if in.Quantity <= 0 {
		return nil, apperr.FieldErrors{"quantity": "The quantity must be more than 0."}.Err()
	}
	if in.PlacedAt.IsZero() {
		in.PlacedAt = now
	}
	if err := lockStock(ctx, tx, []int64{in.ProductID}); err != nil {
		if postgres.Code(err) == postgres.CodeForeignKeyViolation {
			return nil, apperr.NotFoundf("Product not found.")
		}
		return nil, err
	}
	d := &Demand{ProductID: in.ProductID, CompanyID: in.CompanyID, Reference: strings.TrimSpace(in.Reference),
		Quantity: in.Quantity, PlacedAt: in.PlacedAt, Status: "open"}
	if _, err := tx.NewInsert().Model(d).ExcludeColumn("id").Returning("id").Exec(ctx); err != nil {
		return nil, err
	}
	if err := audit.Record(ctx, tx, now, audit.Change{Entity: "demand", EntityID: d.ID, Action: "create", After: d}); err != nil {
		return nil, err
	}
	// The new demand waits in line like any other; allocation serves the
	// line in order, so stock set aside for earlier back orders stays theirs.
	if _, err := allocate(ctx, tx, now, []int64{in.ProductID}); err != nil {
		return nil, err
	}
	if err := recomputeExpected(ctx, tx, []int64{in.ProductID}); err != nil {
		return nil, err
	}
	return d, tx.NewSelect().Model(d).WherePK().Scan(ctx)
}

// Release cancels a demand within the caller's transaction: its
// reservations go back to stock and serve waiting back orders, and the
// audit trail says why. Returns NotFound, Conflict (shipped).
func Release(ctx context.Context, tx bun.IDB, now time.Time, demandID int64, reason string) error {
	var productID int64
	if err := tx.NewSelect().Table("demands").Column("product_id").Where("id = ?", demandID).Scan(ctx, &productID); err != nil {
		return postgres.Translate(err, "Demand")
	}
	if err := lockStock(ctx, tx, []int64{productID}); err != nil {
		return err
	}
	d := new(Demand)
	if err := tx.NewSelect().Model(d).Where("dm.id = ?", demandID).For("UPDATE").Scan(ctx); err != nil {
		return err
	}
	switch d.Status {
	case "cancelled":
		return nil
	case "shipped":
		return apperr.Conflictf("This line has shipped; it cannot be cancelled.")
	}
	if _, err := tx.ExecContext(ctx, `UPDATE stock s SET reserved = s.reserved - r.quantity
		FROM demand_reservations r WHERE r.demand_id = ? AND s.product_id = ? AND s.warehouse_id = r.warehouse_id`, d.ID, productID); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM demand_reservations WHERE demand_id = ?", d.ID); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "UPDATE demands SET status = 'cancelled', reserved = 0, expected_date = NULL WHERE id = ?", d.ID); err != nil {
		return err
	}
	if err := audit.Record(ctx, tx, now, audit.Change{Entity: "demand", EntityID: d.ID, Action: "cancel",
		Before: map[string]any{"status": d.Status, "reserved": d.Reserved}, After: map[string]any{"status": "cancelled", "reason": reason}}); err != nil {
		return err
	}
	if _, err := allocate(ctx, tx, now, []int64{productID}); err != nil {
		return err
	}
	return recomputeExpected(ctx, tx, []int64{productID})
}

// SetPriority gives a waiting demand priority over the first-come order, or
// takes it away. Returns NotFound.
func (s *Service) SetPriority(ctx context.Context, demandID int64, priority bool) error {
	return s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		d := new(Demand)
		if err := tx.NewSelect().Model(d).Where("dm.id = ? AND dm.status = 'open'", demandID).For("UPDATE").Scan(ctx); err != nil {
			return postgres.Translate(err, "Back order")
		}
		if d.Priority == priority {
			return nil
		}
		if _, err := tx.ExecContext(ctx, "UPDATE demands SET priority = ? WHERE id = ?", priority, d.ID); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, s.Clock.Now(), audit.Change{Entity: "demand", EntityID: d.ID, Action: "priority",
			Before: map[string]bool{"priority": d.Priority}, After: map[string]bool{"priority": priority}}); err != nil {
			return err
		}
		return recomputeExpected(ctx, tx, []int64{d.ProductID})
	})
}
