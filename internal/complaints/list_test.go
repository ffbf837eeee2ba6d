package complaints_test

import (
	"context"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"wholesale/internal/apperr"
	"wholesale/internal/clock"
	"wholesale/internal/complaints"
	"wholesale/internal/customers"
	"wholesale/internal/pgtest"
	"wholesale/internal/postgres"
	"wholesale/internal/users"
)

// The list: open ones first by due date (overdue on top), scoped by role.
func TestList(t *testing.T) {
	db := pgtest.New(t)
	ctx := context.Background()
	clk := clock.NewFixed(time.Date(2026, 11, 27, 10, 0, 0, 0, clock.Amsterdam)) // a Friday
	svc := &complaints.Service{DB: db, Clock: clk}
	us := users.NewService(db, clk, users.FastHasher)
	mk := func(email string, role users.Role, company int64) *users.User {
		u, err := us.Create(ctx, users.NewUser{Email: email, Name: email, Role: role, CompanyID: company, Password: "long enough pw"})
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	am, am2, csm := mk("am@w.test", users.RoleAccountManager, 0), mk("am2@w.test", users.RoleAccountManager, 0), mk("csm@w.test", users.RoleCustomerService, 0)
	company := func(name string, manager *users.User) *customers.Company {
		addr := customers.Address{Street: "Kade 1", Postcode: "1000 AA", City: "Stad", Country: "NL"}
		c := &customers.Company{Name: name, Visiting: addr, Invoice: addr, ContactName: "Joris", ContactEmail: "c@" + strings.Fields(name)[0] + ".test",
			KvK: "87654321", PaymentTerms: customers.TermsCredit, PaymentTermDays: 30, CreditLimitCents: 100_000, AccountManagerID: &manager.ID}
		if err := postgres.Run(ctx, db, postgres.Once, func(ctx context.Context, tx *postgres.Tx) error { return customers.Insert(ctx, tx, clk.Now(), c) }); err != nil {
			t.Fatal(err)
		}
		return c
	}
	a, b := company("Jansen BV", am), company("Pieters BV", am2)
	buyerA, buyerB := mk("buyer@a.test", users.RoleCustomer, a.ID), mk("buyer@b.test", users.RoleCustomer, b.ID)
	file := func(by *users.User, what string) *complaints.Complaint {
		c, err := svc.File(ctx, by, complaints.FileInput{ContactName: "Joris", ContactEmail: "joris@x.test", Description: what})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	old := file(buyerA, "old")
	clk.Set(time.Date(2026, 12, 7, 10, 0, 0, 0, clock.Amsterdam))
	resolved := file(buyerA, "resolved")
	if _, err := svc.Acknowledge(ctx, am, resolved.ID, complaints.LetterInput{Date: "2026-12-10", Text: "ack"}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Resolve(ctx, am, resolved.ID, complaints.ResolveInput{Outcome: complaints.OutcomeNone, Explanation: "checked"}); err != nil {
		t.Fatal(err)
	}
	fresh := file(buyerA, "fresh")
	other := file(buyerB, "other")
	closedLater := file(buyerB, "closed later") // resolved after resolved: listed above it
	if _, err := svc.Acknowledge(ctx, am2, closedLater.ID, complaints.LetterInput{Date: "2026-12-10", Text: "ack"}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Resolve(ctx, am2, closedLater.ID, complaints.ResolveInput{Outcome: complaints.OutcomeNone, Explanation: "checked"}); err != nil {
		t.Fatal(err)
	}

	ids := func(list []complaints.Complaint) []int64 {
		var out []int64
		for _, c := range list {
			out = append(out, c.ID)
		}
		return out
	}
	same := func(got []complaints.Complaint, want ...*complaints.Complaint) {
		t.Helper()
		g := ids(got)
		if len(g) != len(want) {
			t.Fatalf("got %v, want %d", g, len(want))
		}
		for i, w := range want {
			if g[i] != w.ID {
				t.Fatalf("got %v, want %v at %d", g, w.ID, i)
			}
		}
	}
	list, err := svc.List(ctx, csm, complaints.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	// old was due 2 December (overdue), fresh and other 10 December, resolved waits for nothing.
	same(list, old, other, fresh, closedLater, resolved)
	list, _ = svc.List(ctx, csm, complaints.Filter{Limit: 4}) // the limit runs over both: the open ones, then the newest others
	same(list, old, other, fresh, closedLater)
	list, _ = svc.List(ctx, csm, complaints.Filter{Limit: 2})
	same(list, old, other)
	list, _ = svc.List(ctx, csm, complaints.Filter{Overdue: true})
	same(list, old)
	list, _ = svc.List(ctx, csm, complaints.Filter{Open: true})
	same(list, old, other, fresh)
	list, _ = svc.List(ctx, csm, complaints.Filter{State: complaints.StateResolved})
	same(list, closedLater, resolved)
	list, _ = svc.List(ctx, csm, complaints.Filter{State: complaints.StateReceived})
	same(list, old, other, fresh)
	list, _ = svc.List(ctx, buyerA, complaints.Filter{CompanyID: b.ID})
	same(list, old, fresh, resolved)
	list, _ = svc.List(ctx, am2, complaints.Filter{})
	same(list, other, closedLater)
	list, _ = svc.List(ctx, csm, complaints.Filter{BeforeID: fresh.ID, Limit: 1})
	same(list, old)
	// On 7 December old is past its week (flag on 4 December); the others are not.
	list, _ = svc.List(ctx, csm, complaints.Filter{Flagged: true})
	same(list, old)
	if _, err := svc.Assign(ctx, csm, old.ID, am2.ID); err != nil {
		t.Fatal(err)
	}
	list, _ = svc.List(ctx, csm, complaints.Filter{Flagged: true, Unassigned: true})
	same(list)
	list, _ = svc.List(ctx, csm, complaints.Filter{Flagged: true})
	same(list, old)
	// am2 investigates old now: their list of received complaints has it
	// (a state and a manager's scope: a prepared statement).
	list, _ = svc.List(ctx, am2, complaints.Filter{State: complaints.StateReceived})
	same(list, old, other)
	// The filters List runs as prepared statements (no more than a state and
	// a manager's scope) read what the query built for any other filter
	// reads: a BeforeID past every complaint makes List build the query.
	if _, err := svc.Acknowledge(ctx, am, fresh.ID, complaints.LetterInput{Date: "2026-12-10", Text: "ack"}); err != nil {
		t.Fatal(err)
	}
	for _, who := range []*users.User{csm, am, am2} {
		for _, st := range append([]complaints.State{""}, complaints.OpenStates...) {
			prepared, err := svc.List(ctx, who, complaints.Filter{State: st})
			if err != nil {
				t.Fatal(err)
			}
			built, err := svc.List(ctx, who, complaints.Filter{State: st, BeforeID: math.MaxInt64})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(prepared, built) {
				t.Errorf("%s, state %q: prepared %+v\nbuilt %+v", who.Email, st, prepared, built)
			}
			if st == complaints.StateAcknowledged && who != am2 && (len(prepared) != 1 || prepared[0].ID != fresh.ID || prepared[0].CompanyName != "Jansen BV") {
				t.Errorf("%s: acknowledged %+v, want fresh", who.Email, prepared)
			}
		}
	}
	if _, err := svc.List(ctx, mk("wh@w.test", users.RoleWarehouse, 0), complaints.Filter{}); apperr.KindOf(err) != apperr.Forbidden {
		t.Fatalf("the warehouse lists complaints: %v", err)
	}
}
