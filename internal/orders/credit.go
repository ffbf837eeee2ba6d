package orders

import (
	"context"

	"wholesale/internal/apperr"
	"wholesale/internal/audit"
	"wholesale/internal/credit"
	"wholesale/internal/customers"
	"wholesale/internal/i18n"
	"wholesale/internal/postgres"
	"wholesale/internal/users"
)

// checkCredit holds the order when credit says so; call it with the
// customer locked.
func (s *Service) checkCredit(ctx context.Context, tx *postgres.Tx, o *Order) error {
	pos, err := credit.Of(ctx, tx, o.CompanyID, o.ID, s.now())
	if err != nil {
		return err
	}
	decideCredit(o, pos)
	return nil
}

// decideCredit holds o for credit approval when its customer's position
// (without o) says so.
func decideCredit(o *Order, pos credit.Position) {
	if held, reason := credit.Decide(pos, o.TotalInclCents); held {
		o.CreditHold = HoldHeld
		o.hold(reason)
	}
}

// CreditAfterApproval is a held order's customer's credit position as it
// stands and as it would be once sales approve the order.
type CreditAfterApproval struct {
	Now credit.Position // without the order: held orders do not count
	// ExposureCents and AvailableCents are those after approval.
	ExposureCents, AvailableCents int64
}

// CreditIfApproved returns the credit position of the customer of o, a
// held order, now and after approval, for sales deciding on it. Returns
// NotFound, Forbidden.
func (s *Service) CreditIfApproved(ctx context.Context, by *users.User, o *Order) (*CreditAfterApproval, error) {
	if !by.Is(users.RoleSales, users.RoleAdmin) {
		return nil, apperr.Forbiddenf("Sales decide on credit holds.")
	}
	pos, err := credit.Of(ctx, s.DB, o.CompanyID, o.ID, s.now())
	if err != nil {
		return nil, err
	}
	after := pos.ExposureCents() + o.TotalInclCents
	return &CreditAfterApproval{Now: pos, ExposureCents: after, AvailableCents: pos.LimitCents - after}, nil
}

// forSales locks an order awaiting credit approval for sales or an admin.
// Returns NotFound, Forbidden, Conflict.
func (s *Service) forSales(by *users.User) locker {
	return func(ctx context.Context, tx *postgres.Tx, id int64) (*Order, error) {
		if !by.Is(users.RoleSales, users.RoleAdmin) {
			return nil, apperr.Forbiddenf("Sales decide on credit holds.")
		}
		o, _, err := s.lockOrderFor(ctx, tx, id, func(*customers.Company) bool { return true })
		if err != nil {
			return nil, err
		}
		if o.State != StatePlaced || o.CreditHold != HoldHeld {
			return nil, apperr.Conflictf("Order %d is not awaiting credit approval.", o.ID)
		}
		return o, nil
	}
}

// ApproveCredit releases a held order at the revision sales saw (0: as it
// stands), with a note; from then on it counts in the customer's exposure.
// Returns NotFound, Forbidden, Invalid, Conflict (also when the order has
// changed since).
func (s *Service) ApproveCredit(ctx context.Context, by *users.User, id int64, note string, revision int) (*Order, error) {
	note, err := reason("note", note, i18n.M("Note why the order may go over the limit."))
	if err != nil {
		return nil, err
	}
	return s.onOrder(ctx, id, s.forSales(by), func(ctx context.Context, tx *postgres.Tx, o *Order) error {
		if err := atRevision(o, revision); err != nil {
			return err
		}
		o.CreditHold, o.CreditNote = HoldApproved, note
		if err := s.save(ctx, tx, o, "credit_hold", "credit_note"); err != nil {
			return err
		}
		return audit.Record(ctx, tx, s.now(), audit.Change{Entity: "order", EntityID: o.ID, Action: "credit_approve",
			Before: map[string]string{"credit_hold": HoldHeld}, After: map[string]any{"credit_hold": HoldApproved, "note": note, "status": o.Status}})
	})
}

// RejectCredit turns a held order down at the revision sales saw (0: as it
// stands): it is cancelled and its reservations released. Returns NotFound,
// Forbidden, Invalid, Conflict (also when the order has changed since).
func (s *Service) RejectCredit(ctx context.Context, by *users.User, id int64, note string, revision int) (*Order, error) {
	note, err := reason("note", note, i18n.M("Note why the order is rejected."))
	if err != nil {
		return nil, err
	}
	return s.onOrder(ctx, id, s.forSales(by), func(ctx context.Context, tx *postgres.Tx, o *Order) error {
		if err := atRevision(o, revision); err != nil {
			return err
		}
		o.CreditHold, o.CreditNote = HoldRejected, note
		return s.cancel(ctx, tx, o, note, "credit_reject")
	})
}
