package orders_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	"wholesale/internal/customers"
	"wholesale/internal/orders"
	"wholesale/internal/postgres"
	"wholesale/internal/users"
)

// secondDesk adds another account manager with a customer of their own,
// and a warehouse user.
func (e *env) secondDesk() (am2 *users.User, c2 *customers.Company, wh *users.User) {
	e.t.Helper()
	ctx := context.Background()
	us := users.NewService(e.db, e.clk, users.FastHasher)
	var err error
	if am2, err = us.Create(ctx, users.NewUser{Email: "am2@w.test", Name: "Other", Role: users.RoleAccountManager, Password: "long enough pw"}); err != nil {
		e.t.Fatal(err)
	}
	if wh, err = us.Create(ctx, users.NewUser{Email: "wh@w.test", Name: "Wim", Role: users.RoleWarehouse, Password: "long enough pw"}); err != nil {
		e.t.Fatal(err)
	}
	addr := customers.Address{Street: "Dijk 2", Postcode: "2000 AA", City: "Haarlem", Country: "NL"}
	c2 = &customers.Company{Name: "Pieters", Visiting: addr, Invoice: addr, ContactEmail: "p@pieters.test",
		PaymentTerms: customers.TermsCredit, CreditLimitCents: 10_000_000, AccountManagerID: &am2.ID}
	if err := postgres.Run(ctx, e.db, postgres.Once, func(ctx context.Context, tx *postgres.Tx) error {
		return customers.Insert(ctx, tx, e.clk.Now(), c2)
	}); err != nil {
		e.t.Fatal(err)
	}
	return am2, c2, wh
}

// TestCountByStatus counts the orders of a status, for one account
// manager's customers or for everyone, with when the oldest was placed.
func TestCountByStatus(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 10_000_000)
	ctx := context.Background()
	am2, c2, _ := e.secondDesk()
	first := e.placed(e.input("PO-1", line("A", 1)))
	e.clk.Advance(3600e9)
	e.placed(e.input("PO-2", line("B", 1)))
	in := e.input("PO-3", line("A", 1))
	in.CompanyID = c2.ID
	if _, err := e.svc.CreateAndPlace(ctx, am2, in); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Create(ctx, e.am, e.input("PO-4", line("B", 2))); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		status  orders.Status
		manager int64
		want    int
	}{
		{orders.StatusAwaitingConfirmation, e.am.ID, 2},
		{orders.StatusAwaitingConfirmation, am2.ID, 1},
		{orders.StatusAwaitingConfirmation, 0, 3},
		{orders.StatusDraft, e.am.ID, 1},
		{orders.StatusDraft, am2.ID, 0},
		{orders.StatusReleased, 0, 0},
	} {
		n, oldest, err := orders.CountByStatus(ctx, e.db, c.status, c.manager)
		if err != nil || n != c.want {
			t.Errorf("%s of manager %d: %d (%v), want %d", c.status, c.manager, n, err, c.want)
		}
		if n == 0 && oldest != nil {
			t.Errorf("%s of manager %d: none, but oldest %v", c.status, c.manager, oldest)
		}
	}
	if _, oldest, _ := orders.CountByStatus(ctx, e.db, orders.StatusAwaitingConfirmation, e.am.ID); oldest == nil || !oldest.Equal(*first.PlacedAt) {
		t.Errorf("oldest placed %v, want %v", oldest, first.PlacedAt)
	}
	// Each status has its prepared statement; there is none for a status that is not one.
	if _, _, err := orders.CountByStatus(ctx, e.db, orders.Status("shipped' OR true --"), 0); err == nil {
		t.Error("a status that is none counted")
	}
}

// TestSearchFindsWhatEachUserMaySee searches orders by number and by any
// part of the PO reference, in any case, within what the user may see.
func TestSearchFindsWhatEachUserMaySee(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 10_000_000)
	ctx := context.Background()
	am2, c2, wh := e.secondDesk()
	mine := e.placed(e.input("BJ-2026-118", line("A", 1)))
	draft, err := e.svc.Create(ctx, e.am, e.input("BJ-2026-1180", line("B", 1)))
	if err != nil {
		t.Fatal(err)
	}
	in := e.input("PI-2026-118", line("A", 1))
	in.CompanyID = c2.ID
	theirs, err := e.svc.CreateAndPlace(ctx, am2, in)
	if err != nil {
		t.Fatal(err)
	}
	found := func(u *users.User, q string) string {
		t.Helper()
		list, err := e.svc.Search(ctx, u, q, 20)
		if err != nil {
			t.Fatalf("%s searches %q: %v", u.Email, q, err)
		}
		var pos []string
		for _, o := range list {
			pos = append(pos, o.POReference)
		}
		sort.Strings(pos)
		return strings.Join(pos, " ")
	}
	for _, c := range []struct {
		who  *users.User
		q    string
		want string
	}{
		{e.am, "2026-118", "BJ-2026-118 BJ-2026-1180"},
		{e.am, "bj-2026-118", "BJ-2026-118 BJ-2026-1180"},
		{am2, "2026-118", "PI-2026-118"},
		{e.sales, "2026-118", "BJ-2026-118 BJ-2026-1180 PI-2026-118"},
		{wh, "2026-118", "BJ-2026-118 PI-2026-118"}, // no drafts
		{e.buyer, "2026-118", "BJ-2026-118"},        // its own, from placed on
		{e.am, fmt.Sprint(theirs.ID), ""},
		{e.sales, fmt.Sprint(theirs.ID), "PI-2026-118"},
		{e.sales, fmt.Sprintf("#%d", mine.ID), "BJ-2026-118"},
		{wh, "1180", ""}, // the draft's
		{e.am, fmt.Sprint(draft.ID), "BJ-2026-118 BJ-2026-1180"}, // number 2, and 2 in both POs
		{e.sales, "%", ""},
		{e.sales, "_", ""},
		{e.sales, "  ", ""},
	} {
		if got := found(c.who, c.q); got != c.want {
			t.Errorf("%s searches %q: %q, want %q", c.who.Email, c.q, got, c.want)
		}
	}
}

// A brief list (the pages' lists and the search) has what those lists
// show, the same as the full list (the API's), without the columns they do
// not show.
func TestBriefListHasWhatTheListsShow(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 10_000_000)
	ctx := context.Background()
	am2, c2, _ := e.secondDesk()
	e.placed(e.input("BR-1", line("A", 2), line("B", 1)))
	if _, err := e.svc.Create(ctx, e.am, e.input("BR-2", line("B", 1))); err != nil {
		t.Fatal(err)
	}
	in := e.input("BR-3", line("A", 1))
	in.CompanyID = c2.ID
	if _, err := e.svc.CreateAndPlace(ctx, am2, in); err != nil {
		t.Fatal(err)
	}
	for _, who := range []*users.User{e.am, e.sales} { // the manager's list joins the customer; the others look its name up
		full, _, err := e.svc.List(ctx, who, orders.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		brief, _, err := e.svc.List(ctx, who, orders.Filter{Brief: true})
		if err != nil {
			t.Fatal(err)
		}
		found, err := e.svc.Search(ctx, who, "BR-", 20)
		if err != nil {
			t.Fatal(err)
		}
		if len(full) < 2 || len(brief) != len(full) || len(found) != len(full) {
			t.Fatalf("%s: full %d, brief %d, found %d orders", who.Email, len(full), len(brief), len(found))
		}
		for i, f := range full {
			for _, b := range []orders.Order{brief[i], found[i]} {
				if b.ID != f.ID || b.CompanyID != f.CompanyID || b.POReference != f.POReference || b.State != f.State || b.Status != f.Status ||
					b.TotalInclCents != f.TotalInclCents || b.TotalInclCents == 0 || !b.CreatedAt.Equal(f.CreatedAt) ||
					b.CompanyName != f.CompanyName || b.CompanyName == "" || (b.PlacedAt == nil) != (f.PlacedAt == nil) {
					t.Errorf("%s: brief %+v\nfull %+v", who.Email, b, f)
				}
				if b.Delivery.City != "" || b.TotalExclCents != 0 || b.CreatedBy != 0 {
					t.Errorf("%s: the brief list read columns it does not show: %+v", who.Email, b)
				}
			}
		}
		if full[0].Delivery.City == "" || full[0].TotalExclCents == 0 || full[0].CreatedBy == 0 {
			t.Fatalf("%s: the full list lacks columns: %+v", who.Email, full[0])
		}
	}
}
