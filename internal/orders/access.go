package orders

import (
	"context"

	"github.com/uptrace/bun"

	"wholesale/internal/apperr"
	"wholesale/internal/customers"
	"wholesale/internal/postgres"
	"wholesale/internal/users"
)

// MaySee tells whether u may see the order: sales and admins every order,
// an account manager the orders of its customers, the warehouse, the
// customer service manager and the board every order from placed on, a customer user its company's orders from placed on
// (drafts are the account manager's).
func MaySee(u *users.User, o *Order) bool {
	switch u.Role {
	case users.RoleAdmin, users.RoleSales, users.RoleFinance:
		return true
	case users.RoleAccountManager:
		return o.CompanyManagerID != nil && *o.CompanyManagerID == u.ID
	case users.RoleWarehouse, users.RoleCustomerService, users.RoleBoard:
		return o.State != StateDraft
	case users.RoleCustomer:
		return u.CompanyID != nil && *u.CompanyID == o.CompanyID && o.State != StateDraft
	}
	return false
}

// Get returns the order with its lines when by may see it (MaySee).
// Returns NotFound.
func (s *Service) Get(ctx context.Context, by *users.User, id int64) (*Order, error) {
	return s.get(ctx, s.DB, by, id)
}

func (s *Service) get(ctx context.Context, db bun.IDB, by *users.User, id int64) (*Order, error) {
	o, err := Get(ctx, db, id)
	if err != nil {
		return nil, err
	}
	if !MaySee(by, o) {
		return nil, apperr.NotFoundf("Order not found.")
	}
	return o, nil
}

// List returns one page of the orders by may see, filtered by f (see
// List): an account manager's customers' orders, a customer's own from
// placed on, the warehouse's every order from placed on. Returns Forbidden
// for a customer user without a company.
func (s *Service) List(ctx context.Context, by *users.User, f Filter) ([]Order, int64, error) {
	if err := scope(by, &f); err != nil {
		return nil, 0, err
	}
	return List(ctx, s.DB, f)
}

// scope limits f to the orders by may see (MaySee). Returns Forbidden for
// a customer user without a company, or a role that sees no orders.
func scope(by *users.User, f *Filter) error {
	switch by.Role {
	case users.RoleAdmin, users.RoleSales, users.RoleFinance:
	case users.RoleAccountManager:
		f.ManagerID = by.ID
	case users.RoleWarehouse:
		f.Placed = true
	case users.RoleCustomer:
		if by.CompanyID == nil {
			return apperr.Forbiddenf("This user belongs to no company.")
		}
		f.OnlyCompanyID = *by.CompanyID
	default:
		return apperr.Forbiddenf("Your role may not see orders.")
	}
	return nil
}

// lockOrder locks the customer of an order, then the order, for a use case
// of the account manager (or an admin): every use case touching a
// customer's orders takes its locks in this order. Returns NotFound,
// Forbidden.
func (s *Service) lockOrder(ctx context.Context, tx *postgres.Tx, by *users.User, id int64) (*Order, *customers.Company, error) {
	if err := mayEnter(by); err != nil {
		return nil, nil, err
	}
	return s.lockOrderFor(ctx, tx, id, func(c *customers.Company) bool { return customers.CanSee(by, c) })
}

// lockOrderFor locks like lockOrder, letting may decide who sees the
// order: for others it is NotFound.
func (s *Service) lockOrderFor(ctx context.Context, tx *postgres.Tx, id int64, may func(*customers.Company) bool) (*Order, *customers.Company, error) {
	companyID, err := companyOf(ctx, tx, id)
	if err != nil {
		return nil, nil, err
	}
	c, err := customers.LockByID(ctx, tx, companyID)
	if err != nil {
		return nil, nil, err
	}
	if !may(c) {
		return nil, nil, apperr.NotFoundf("Order not found.")
	}
	o, err := lockedOrder(ctx, tx, id)
	if err != nil {
		return nil, nil, err
	}
	o.CompanyName, o.CompanyManagerID = c.Name, c.AccountManagerID
	return o, c, nil
}

// after returns the order as a use case left it, read in its transaction.
func (s *Service) after(ctx context.Context, tx *postgres.Tx, id int64) (*Order, error) {
	return Get(ctx, tx, id)
}

// locker locks an order for a use case and says who may act on it.
type locker func(ctx context.Context, tx *postgres.Tx, id int64) (*Order, error)

// forDesk locks the order for its customer's account manager or an admin
// (lockOrder).
func (s *Service) forDesk(by *users.User) locker {
	return func(ctx context.Context, tx *postgres.Tx, id int64) (*Order, error) {
		o, _, err := s.lockOrder(ctx, tx, by, id)
		return o, err
	}
}

// atRevision checks that o is still at the revision the user saw (0: not
// said): a confirmation or a credit decision is given for what was shown,
// never for a change made meanwhile. Returns Conflict.
func atRevision(o *Order, seen int) error {
	if seen != 0 && seen != o.Revision {
		return apperr.Conflictf("Order %d has changed since you opened it (it is at revision %d now, you saw revision %d): look at it again, then decide.", o.ID, o.Revision, seen)
	}
	return nil
}

// onOrder is a use case on one order: it locks the order with lock, runs
// act on it and answers with the order as act left it, in one transaction.
func (s *Service) onOrder(ctx context.Context, id int64, lock locker, act func(ctx context.Context, tx *postgres.Tx, o *Order) error) (*Order, error) {
	return s.run(ctx, func(ctx context.Context, tx *postgres.Tx) (*Order, error) {
		o, err := lock(ctx, tx, id)
		if err != nil {
			return nil, err
		}
		if err := act(ctx, tx, o); err != nil {
			return nil, err
		}
		return s.after(ctx, tx, id)
	})
}
