package main

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"wholesale/internal/audit"
	"wholesale/internal/clock"
	"wholesale/internal/demo"
	"wholesale/internal/loadtest"
	"wholesale/internal/orders"
	"wholesale/internal/pgtest"
	"wholesale/internal/users"
)

// benchData is the demo data with seed-scale's users on it (the customer
// user of the busiest customer, the demo one) and more orders than a page
// of the order list, so that the bench finds page 2 by keyset and checks
// the first page's link to it.
func benchData(t *testing.T) *bun.DB {
	t.Helper()
	db := pgtest.New(t)
	ctx := context.Background()
	us := users.NewService(db, clock.System{}, users.FastHasher)
	d, err := demo.Load(ctx, db, us, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range loadtest.ScaleLogins(loadtest.ScalePassword) {
		nu := users.NewUser{Email: l.Email, Name: "Scale " + string(l.Role), Role: l.Role, Password: l.Password}
		if l.Role == users.RoleCustomer {
			nu.CompanyID = d.Company.ID
		}
		if _, err := us.Create(ctx, nu); err != nil {
			t.Fatal(err)
		}
	}
	am := d.Users[users.RoleAccountManager]
	ctx = audit.WithActor(ctx, audit.Actor{UserID: am.ID, Label: am.Email})
	svc := &orders.Service{DB: db, Clock: clock.System{}}
	for i := 0; i < 55; i++ {
		in := orders.Input{CompanyID: d.Company.ID, POReference: fmt.Sprintf("BENCH-%02d", i), Shipping: "9,95", ShippingMethod: "UPS",
			Lines: []orders.LineInput{{SKU: "MX-QA1", Quantity: 1}}}
		if _, err := svc.Create(ctx, am, in); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

// `wholesale bench pages` runs its own app server (this test binary, as
// the wholesale binary), logs in as seed-scale's users and finds every page
// with what it must show (each page's first answer is checked: an order's
// link, the next page's link, a search hit, the user's name, a PDF), and
// prints a line per page, the server's memory and the credit check. A page
// that fails (here: the complaints list, for a warehouse user given as the
// customer service manager, answers 403) makes it fail after its report.
func TestBenchPages(t *testing.T) {
	t.Setenv(asBinary, "1") // the app server the bench starts is this binary
	db := benchData(t)
	getenv := env(map[string]string{"DATABASE_URL": pgtest.DSN(t, db)})
	ctx := context.Background()

	var out bytes.Buffer
	if err := run(ctx, []string{"bench", "pages", "-n", "4", "-c", "2", "-credit-runs", "5"}, getenv, &out, &out); err != nil {
		t.Fatalf("bench pages: %v\n%s", err, out.String())
	}
	pages := []string{"orders: first page", "orders: one customer's", "orders: page 2 by keyset", "search: PO reference",
		"search: customer name", "search: SKU", `customer page \(busiest\)`, `order page \(most revisions: \d+\)`, "back orders",
		"invoice list", `invoice download \(PDF\)`, "AR aging", "complaints list", "returns list", "portal: our orders"}
	for _, r := range users.Roles {
		pages = append(pages, "home: "+string(r))
	}
	for _, p := range pages {
		line := regexp.MustCompile(`(?m)^` + p + ` +[a-z_]+ +4 +[0-9.]+ +[0-9.]+ +[0-9.]+  (met|NOT met) +[0-9.]+ +[0-9.]+ +[0-9.]+%$`)
		if !line.MatchString(out.String()) {
			t.Errorf("no line for %q in the report:\n%s", p, out.String())
		}
	}
	for _, want := range []string{"23 pages in", "CPU time per request, all pages: app server ", "steal: the hypervisor gave", "server memory: VmRSS", "target ≤ 300 MB:", "busiest: Bakkerij Jansen B.V.", "a new customer", "reads only its open items"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the report lacks %q:\n%s", want, out.String())
		}
	}

	out.Reset()
	err := run(ctx, []string{"bench", "pages", "-n", "2", "-c", "2", "-credit-runs", "0", "-service", "warehouse@scale.test"}, getenv, &out, &out)
	if err == nil || !strings.Contains(err.Error(), "1 of 23 pages failed") {
		t.Fatalf("a page answering 403: err %v, want 1 of 23 pages failed\n%s", err, out.String())
	}
	if !regexp.MustCompile(`(?m)^complaints list +customer_service +FAILED \(1 of 1\): GET /complaints as customer_service: HTTP 403$`).MatchString(out.String()) {
		t.Errorf("the report does not say which page failed and how:\n%s", out.String())
	}
}
