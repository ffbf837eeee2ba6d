package orders

import (
	"context"

	"wholesale/internal/apperr"
	"wholesale/internal/audit"
	"wholesale/internal/customers"
	"wholesale/internal/postgres"
	"wholesale/internal/users"
)

// MarkPrepaymentReceived records by hand that a prepayment order's payment
// is in, in full, until payments are registered: the order is paid, who
// recorded it and when are kept, and it is released to the warehouse.
// Admins only. Returns NotFound, Forbidden, Conflict (not a placed
// prepayment order, or paid already).
func (s *Service) MarkPrepaymentReceived(ctx context.Context, by *users.User, id int64) (*Order, error) {
	if !by.Is(users.RoleAdmin) {
		return nil, apperr.Forbiddenf("Only an admin records a prepayment as received.")
	}
	anyone := func(ctx context.Context, tx *postgres.Tx, id int64) (*Order, error) {
		o, _, err := s.lockOrderFor(ctx, tx, id, func(*customers.Company) bool { return true })
		return o, err
	}
	return s.onOrder(ctx, id, anyone, func(ctx context.Context, tx *postgres.Tx, o *Order) error {
		switch {
		case o.State != StatePlaced:
			return apperr.Conflictf("Order %d is %s: there is no prepayment to record.", o.ID, o.Status.Label())
		case !o.Prepayment:
			return apperr.Conflictf("Order %d is not a prepayment order: its customer pays on invoice.", o.ID)
		case o.PaidCents >= o.TotalInclCents:
			return apperr.Conflictf("Order %d is paid already.", o.ID)
		}
		now := s.now()
		before := map[string]any{"paid_cents": o.PaidCents, "status": o.Status}
		o.PaidCents, o.PrepaymentReceivedBy, o.PrepaymentReceivedAt = o.TotalInclCents, &by.ID, &now
		if err := s.save(ctx, tx, o, "paid_cents", "prepayment_received_by", "prepayment_received_at"); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Change{Entity: "order", EntityID: o.ID, Action: "prepayment_received",
			Before: before, After: map[string]any{"paid_cents": o.PaidCents, "status": o.Status}})
	})
}
