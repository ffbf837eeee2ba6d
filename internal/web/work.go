package web

import (
	"context"
	"fmt"
	"time"

	"wholesale/internal/clock"
	"wholesale/internal/customers"
	"wholesale/internal/i18n"
	"wholesale/internal/invoicing"
	"wholesale/internal/mail"
	"wholesale/internal/orders"
	"wholesale/internal/returns"
	"wholesale/internal/shipping"
	"wholesale/internal/stock"
	"wholesale/internal/users"
)

var (
	salesWork     = []users.Role{users.RoleSales}
	managerWork   = []users.Role{users.RoleAccountManager}
	warehouseWork = []users.Role{users.RoleWarehouse}
	adminWork     = []users.Role{users.RoleAdmin}
	financeWork   = []users.Role{users.RoleFinance}
	customerWork  = []users.Role{users.RoleCustomer}
)

// registerWork puts today's queues on the home pages: sales vet
// applications, approve account changes and decide credit holds; account
// managers chase confirmations, held orders and back orders whose date
// moved; the warehouse ships released orders and receives deliveries; the
// admin looks after mail and locked accounts; finance watches the drafts
// the cutoff issues and the invoices past their due date; a customer's
// user confirms its orders and pays its invoices.
func (s *Server) registerWork() {
	s.addWork(salesWork, s.applicationsWaiting)
	s.addWork(salesWork, s.changesToApprove)
	s.addWork(salesWork, func(ctx context.Context, _ *users.User, now time.Time) (workItem, error) {
		return s.ordersWith(ctx, now, orders.StatusAwaitingCredit, 0, i18n.M("Orders held for credit approval"), "/credit-holds")
	})
	s.addWork(managerWork, func(ctx context.Context, u *users.User, now time.Time) (workItem, error) {
		return s.ordersWith(ctx, now, orders.StatusAwaitingConfirmation, u.ID, i18n.M("Orders awaiting the customer's confirmation"), "/orders?status=awaiting_confirmation")
	})
	s.addWork(managerWork, func(ctx context.Context, u *users.User, now time.Time) (workItem, error) {
		return s.ordersWith(ctx, now, orders.StatusAwaitingCredit, u.ID, i18n.M("Orders held for credit approval"), "/orders?status=awaiting_credit")
	})
	s.addWork(managerWork, s.movedBackOrders)
	s.addWork(warehouseWork, s.ordersToShip)
	s.addWork(warehouseWork, s.deliveriesDue)
	s.addWork(adminWork, s.failedMail)
	s.addWork(adminWork, s.lockedAccounts)
	s.addWork(financeWork, s.draftInvoices)
	s.addWork(financeWork, s.overdueInvoices)
	s.addWork(customerWork, s.ordersToConfirm)
	s.addWork(customerWork, s.unpaidInvoices)
	s.addWork(customerWork, s.returnsToSend)
}

// ordersToConfirm counts the customer's orders that wait for its confirmation.
func (s *Server) ordersToConfirm(ctx context.Context, u *users.User, now time.Time) (workItem, error) {
	if u.CompanyID == nil {
		return workItem{}, nil
	}
	n, oldest, err := orders.CountOfCompany(ctx, s.db, orders.StatusAwaitingConfirmation, *u.CompanyID)
	return workItem{Title: i18n.M("Orders that wait for your confirmation"), Count: n, Href: "/portal/orders?status=awaiting_confirmation",
		Age: ageSince(oldest, now), AgeOf: i18n.M("the oldest placed %s ago"), Note: i18n.M("They ship once you confirm them.")}, err
}

// returnsToSend counts the customer's returns with an RA whose parcel is
// still to be sent to us, and by when the first must arrive.
func (s *Server) returnsToSend(ctx context.Context, u *users.User, _ time.Time) (workItem, error) {
	if u.CompanyID == nil {
		return workItem{}, nil
	}
	n, first, err := returns.CountToSend(ctx, s.db, *u.CompanyID, s.returns.Today())
	item := workItem{Title: i18n.M("Returns to send to us"), Count: n, Href: "/portal/returns?state=approved"}
	if n > 0 && first != nil {
		item.Note = i18n.M("Put the RA number on each parcel; the first must arrive by %s.", i18n.D(*first))
	}
	return item, err
}

// unpaidInvoices counts the customer's invoices not paid in full.
func (s *Server) unpaidInvoices(ctx context.Context, u *users.User, _ time.Time) (workItem, error) {
	t, err := s.invoicing.Count(ctx, u, invoicing.Filter{Kind: invoicing.KindInvoice, State: invoicing.StandingUnpaid})
	item := workItem{Title: i18n.M("Invoices to pay"), Count: t.Count, Href: "/portal/invoices?state=unpaid"}
	if t.Count > 0 {
		item.Note = i18n.M("Each invoice says by when, to which account and with which payment reference; a credit note lowers what is owed.")
	}
	return item, err
}

func (s *Server) applicationsWaiting(ctx context.Context, _ *users.User, now time.Time) (workItem, error) {
	w, err := customers.WaitingApplications(ctx, s.db, now, 5)
	item := workItem{Title: i18n.M("Applications waiting"), Count: w.Count, Href: "/applications", AgeOf: i18n.M("the oldest received %s ago")}
	for i, a := range w.Oldest {
		if i == 0 {
			item.Age = a.Waited
		}
		item.Rows = append(item.Rows, workRow{Label: i18n.M("A-%d %s (%s)", a.ID, a.CompanyName, customers.AppStatusLabel(a.Status)),
			Href: fmt.Sprintf("/applications/%d", a.ID), Age: a.Waited})
	}
	return item, err
}

func (s *Server) changesToApprove(ctx context.Context, _ *users.User, now time.Time) (workItem, error) {
	c, err := customers.CountOpenChanges(ctx, s.db)
	item := workItem{Title: i18n.M("Account changes confirmed in writing, to approve"), Count: c.ToApprove,
		Href: "/changes?status=" + customers.ChangeAwaitingApproval, Age: ageSince(c.OldestToApprove, now), AgeOf: i18n.M("the oldest confirmed %s ago")}
	if c.ToConfirm > 0 {
		item.Note = i18n.N(c.ToConfirm, "%d more wait for the customer's written confirmation.", c.ToConfirm)
	}
	return item, err
}

// ordersWith counts the orders with status (of the account manager's
// customers when managerID > 0).
func (s *Server) ordersWith(ctx context.Context, now time.Time, status orders.Status, managerID int64, title i18n.Message, href string) (workItem, error) {
	n, oldest, err := orders.CountByStatus(ctx, s.db, status, managerID)
	return workItem{Title: title, Count: n, Href: href, Age: ageSince(oldest, now), AgeOf: i18n.M("the oldest placed %s ago")}, err
}

// ordersToShip counts the released orders not shipped in full, the
// warehouse's list (partly shipped ones included).
func (s *Server) ordersToShip(ctx context.Context, _ *users.User, now time.Time) (workItem, error) {
	n, oldest, err := shipping.CountToShip(ctx, s.db)
	return workItem{Title: i18n.M("Orders released to ship"), Count: n, Href: "/warehouse/ship", Age: ageSince(oldest, now),
		AgeOf: i18n.M("the oldest placed %s ago")}, err
}

func (s *Server) movedBackOrders(ctx context.Context, u *users.User, now time.Time) (workItem, error) {
	n, oldest, err := stock.CountMoved(ctx, s.db, u.ID)
	return workItem{Title: i18n.M("Back orders whose expected date moved"), Count: n, Href: "/backorders?moved=1",
		Age: ageSince(oldest, now), AgeOf: i18n.M("the oldest moved %s ago"), Note: i18n.M("Tell the customer the new date, then mark the line as told.")}, err
}

func (s *Server) deliveriesDue(ctx context.Context, _ *users.User, now time.Time) (workItem, error) {
	until := stock.DueBy(now)
	n, earliest, err := stock.CountDeliveriesDue(ctx, s.db, until)
	item := workItem{Title: i18n.M("Supplier deliveries due by %s (late ones included)", i18n.D(until)), Count: n, Href: "/supplier-orders?due=1"}
	if earliest != nil {
		item.Note = i18n.M("The first is expected on %s.", i18n.D(*earliest))
	}
	return item, err
}

func (s *Server) failedMail(ctx context.Context, _ *users.User, now time.Time) (workItem, error) {
	n, oldest, err := mail.CountFailed(ctx, s.db)
	return workItem{Title: i18n.M("Mail that failed to send"), Count: n, Href: "/admin/mail?failed=1", Age: ageSince(oldest, now), AgeOf: i18n.M("the oldest written %s ago"),
		Note: i18n.M("Each is tried again, with growing pauses.")}, err
}

func (s *Server) lockedAccounts(ctx context.Context, _ *users.User, now time.Time) (workItem, error) {
	n, err := users.CountLocked(ctx, s.db, now)
	return workItem{Title: i18n.M("Accounts locked after failed logins"), Count: n, Href: "/admin/users?locked=1"}, err
}

func (s *Server) draftInvoices(ctx context.Context, u *users.User, _ time.Time) (workItem, error) {
	t, err := s.invoicing.Count(ctx, u, invoicing.Filter{Kind: invoicing.KindInvoice, State: invoicing.StateDraft})
	item := workItem{Title: i18n.M("Draft invoices, issued at the cutoff"), Count: t.Count, Href: "/invoices?state=draft"}
	if t.Count > 0 {
		item.Note = i18n.M("%s incl. VAT waits to be invoiced. A customer's drafts can be issued early from the customer's page.", i18n.Amount(t.UnpaidCents))
	}
	return item, err
}

func (s *Server) overdueInvoices(ctx context.Context, u *users.User, now time.Time) (workItem, error) {
	t, err := s.invoicing.Count(ctx, u, invoicing.Filter{Kind: invoicing.KindInvoice, State: invoicing.StandingOverdue})
	item := workItem{Title: i18n.M("Invoices past their due date"), Count: t.Count, Href: "/invoices?state=overdue", AgeOf: i18n.M("the oldest due %s ago")}
	if t.EarliestDue != nil {
		due := time.Date(t.EarliestDue.Year(), t.EarliestDue.Month(), t.EarliestDue.Day(), 0, 0, 0, 0, clock.Amsterdam)
		item.Age = ageSince(&due, now)
		item.Note = i18n.M("%s unpaid; the customer's new orders are held for credit approval until it is paid.", i18n.Amount(t.UnpaidCents))
	}
	return item, err
}
