package web

import (
	"context"
	"fmt"
	"time"

	"wholesale/internal/customers"
	"wholesale/internal/mail"
	"wholesale/internal/orders"
	"wholesale/internal/stock"
	"wholesale/internal/users"
)

var (
	salesWork     = []users.Role{users.RoleSales}
	managerWork   = []users.Role{users.RoleAccountManager}
	warehouseWork = []users.Role{users.RoleWarehouse}
	adminWork     = []users.Role{users.RoleAdmin}
)

// registerWork puts today's queues on the home pages: sales vet
// applications, approve account changes and decide credit holds; account
// managers chase confirmations, held orders and back orders whose date
// moved; the warehouse ships released orders and receives deliveries; the
// admin looks after mail and locked accounts.
func (s *Server) registerWork() {
	s.addWork(salesWork, s.applicationsWaiting)
	s.addWork(salesWork, s.changesToApprove)
	s.addWork(salesWork, func(ctx context.Context, _ *users.User, now time.Time) (workItem, error) {
		return s.ordersWith(ctx, now, orders.StatusAwaitingCredit, 0, "Orders held for credit approval", "/credit-holds")
	})
	s.addWork(managerWork, func(ctx context.Context, u *users.User, now time.Time) (workItem, error) {
		return s.ordersWith(ctx, now, orders.StatusAwaitingConfirmation, u.ID, "Orders awaiting the customer's confirmation", "/orders?status=awaiting_confirmation")
	})
	s.addWork(managerWork, func(ctx context.Context, u *users.User, now time.Time) (workItem, error) {
		return s.ordersWith(ctx, now, orders.StatusAwaitingCredit, u.ID, "Orders held for credit approval", "/orders?status=awaiting_credit")
	})
	s.addWork(managerWork, s.movedBackOrders)
	s.addWork(warehouseWork, func(ctx context.Context, _ *users.User, now time.Time) (workItem, error) {
		return s.ordersWith(ctx, now, orders.StatusReleased, 0, "Orders released to ship", "/orders?status=released")
	})
	s.addWork(warehouseWork, s.deliveriesDue)
	s.addWork(adminWork, s.failedMail)
	s.addWork(adminWork, s.lockedAccounts)
}

func (s *Server) applicationsWaiting(ctx context.Context, _ *users.User, now time.Time) (workItem, error) {
	w, err := customers.WaitingApplications(ctx, s.db, now, 5)
	item := workItem{Title: "Applications waiting", Count: w.Count, Href: "/applications", AgeOf: "received"}
	for i, a := range w.Oldest {
		if i == 0 {
			item.Age = a.Waited
		}
		item.Rows = append(item.Rows, workRow{Label: fmt.Sprintf("A-%d %s (%s)", a.ID, a.CompanyName, customers.AppStatusLabel(a.Status)),
			Href: fmt.Sprintf("/applications/%d", a.ID), Age: a.Waited})
	}
	return item, err
}

func (s *Server) changesToApprove(ctx context.Context, _ *users.User, now time.Time) (workItem, error) {
	c, err := customers.CountOpenChanges(ctx, s.db)
	item := workItem{Title: "Account changes confirmed in writing, to approve", Count: c.ToApprove,
		Href: "/changes?status=" + customers.ChangeAwaitingApproval, Age: ageSince(c.OldestToApprove, now), AgeOf: "confirmed"}
	if c.ToConfirm > 0 {
		item.Note = fmt.Sprintf("%d more wait for the customer's written confirmation.", c.ToConfirm)
	}
	return item, err
}

// ordersWith counts the orders with status (of the account manager's
// customers when managerID > 0).
func (s *Server) ordersWith(ctx context.Context, now time.Time, status orders.Status, managerID int64, title, href string) (workItem, error) {
	n, oldest, err := orders.CountByStatus(ctx, s.db, status, managerID)
	return workItem{Title: title, Count: n, Href: href, Age: ageSince(oldest, now), AgeOf: "placed"}, err
}

func (s *Server) movedBackOrders(ctx context.Context, u *users.User, now time.Time) (workItem, error) {
	n, oldest, err := stock.CountMoved(ctx, s.db, u.ID)
	return workItem{Title: "Back orders whose expected date moved", Count: n, Href: "/backorders?moved=1",
		Age: ageSince(oldest, now), AgeOf: "moved", Note: "Tell the customer the new date, then mark the line as told."}, err
}

func (s *Server) deliveriesDue(ctx context.Context, _ *users.User, now time.Time) (workItem, error) {
	until := stock.DueBy(now)
	n, earliest, err := stock.CountDeliveriesDue(ctx, s.db, until)
	item := workItem{Title: fmt.Sprintf("Supplier deliveries due by %s (late ones included)", until.Format("2006-01-02")), Count: n, Href: "/supplier-orders?due=1"}
	if earliest != nil {
		item.Note = "The first is expected on " + earliest.Format("2006-01-02") + "."
	}
	return item, err
}

func (s *Server) failedMail(ctx context.Context, _ *users.User, now time.Time) (workItem, error) {
	n, oldest, err := mail.CountFailed(ctx, s.db)
	return workItem{Title: "Mail that failed to send", Count: n, Href: "/admin/mail?failed=1", Age: ageSince(oldest, now), AgeOf: "written",
		Note: "Each is tried again, with growing pauses."}, err
}

func (s *Server) lockedAccounts(ctx context.Context, _ *users.User, now time.Time) (workItem, error) {
	n, err := users.CountLocked(ctx, s.db, now)
	return workItem{Title: "Accounts locked after failed logins", Count: n, Href: "/admin/users?locked=1"}, err
}
