package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"wholesale/internal/demo"
	"wholesale/internal/pgtest"
	"wholesale/internal/postgres"
	"wholesale/internal/users"
)

// Two app servers share one PgBouncer in session mode, as docs/SCALING.md
// describes. `wholesale migrate` migrates an empty database through it,
// the demo data are loaded through it, and a person's browser and an API
// client use both servers at random, as behind a load balancer.
func TestServeThroughPgBouncerInSessionMode(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	admin := pgtest.New(t)
	name := emptyDatabase(t, admin, fmt.Sprintf("pgbouncer_%d", os.Getpid()))
	const dbMaxConns = 5
	bouncer, err := postgres.StartBouncer(ctx, postgres.BouncerOptions{Dir: filepath.Join(pgtest.ServerDir(t), "pgbouncer"),
		Server: pgtest.DSN(t, admin), PoolMode: "session", PoolSize: 2 * dbMaxConns, Password: "app password"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { bouncer.Stop() })
	migrateAndLoadDemo(t, bouncer.DSN(name))
	vars := map[string]string{"DATABASE_URL": bouncer.DSN(name), "LOG_FORMAT": "text",
		"DB_MAX_CONNS": fmt.Sprint(dbMaxConns), "BASE_URL": "http://wholesale.test"}
	one, two := startServer(t, vars), startServer(t, vars)

	am := loginOf(users.RoleAccountManager)
	b := newBrowser(t)
	b.login(one, am.Email, am.Password)

	// The order form of one server, posted to the other.
	form := b.page(two, "/orders/new")
	company := optionValue(t, form.Find("select#company_id option"), "Bakkerij Jansen")
	sku, ok := form.Find("datalist#skus option").First().Attr("value")
	if !ok {
		t.Fatal("the order form suggests no products")
	}
	vals := url.Values{"company_id": {company}, "po_reference": {"PGB-FORM-1"}, "address": {"visiting"}, "shipping_method": {"UPS"},
		"shipping": {"0"}, "sku_0": {sku}, "qty_0": {"2"}, "action": {"place"}}
	page, path := b.post(one, "/orders", b.csrf(two, "/orders/new"), vals)
	if !strings.HasPrefix(path, "/orders/") || !strings.Contains(text(page.Find("main")), sku) {
		t.Fatalf("placing the order led to %s: %.600s", path, text(page.Find("main")))
	}
	if main := text(page.Find("main")); !strings.Contains(main, "PO PGB-FORM-1 Status: awaiting confirmation") {
		t.Errorf("the new order's page does not show it placed, awaiting the customer's confirmation: %.600s", main)
	}
	row := b.page(one, "/orders?po=PGB-FORM-1").Find("table tbody tr")
	if row.Length() != 1 || !strings.Contains(text(row), "PGB-FORM-1") || !strings.Contains(text(row), "Bakkerij Jansen") {
		t.Fatalf("the order list filtered on PGB-FORM-1 shows %d rows: %q", row.Length(), text(row))
	}

	// An API client retries a POST on the other server: one order, the
	// same answer, marked as replayed.
	token := b.apiToken(two, "ERP link")
	companyID := 0
	fmt.Sscan(company, &companyID)
	order := map[string]any{"company_id": companyID, "po_reference": "PGB-API-1", "place": true, "shipping": "0",
		"lines": []map[string]any{{"sku": sku, "quantity": 1}}}
	var first, again struct {
		ID int64 `json:"id"`
	}
	status, hdr, body := apiPost(t, one, "/api/v1/orders", token, "pgbouncer-test-1", order)
	if status != http.StatusCreated || json.Unmarshal(body, &first) != nil || first.ID == 0 || hdr.Get("Idempotent-Replayed") != "" {
		t.Fatalf("the API order: HTTP %d %s %s", status, hdr.Get("Idempotent-Replayed"), body)
	}
	status, hdr, body = apiPost(t, two, "/api/v1/orders", token, "pgbouncer-test-1", order)
	if status != http.StatusCreated || json.Unmarshal(body, &again) != nil || again.ID != first.ID || hdr.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("the retry on the other server: HTTP %d, replayed %q, order %d (first %d): %s", status, hdr.Get("Idempotent-Replayed"), again.ID, first.ID, body)
	}
	rows := b.page(two, "/orders?po=PGB-API-1").Find("table tbody tr")
	if rows.Length() != 1 || !strings.Contains(text(rows), fmt.Sprint(first.ID)) {
		t.Fatalf("the order list shows %d orders PGB-API-1, want the one: %q", rows.Length(), text(rows))
	}

	// Every connection of both servers went through PgBouncer, in session
	// mode, and none waited for a server connection.
	pools, err := bouncer.Pools(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var pool *postgres.Pool
	for i := range pools {
		if pools[i].Database == name {
			pool = &pools[i]
		}
	}
	if pool == nil || pool.Mode != "session" || pool.ClientsActive < 2 || pool.ClientsActive > 2*dbMaxConns || pool.ClientsWaiting != 0 {
		t.Fatalf("PgBouncer's pool of %s: %+v; want session mode with the two servers' connections, none waiting", name, pool)
	}
}

// loginOf is the demo login of role.
func loginOf(role users.Role) demo.Login {
	for _, l := range demo.Logins() {
		if l.Role == role {
			return l
		}
	}
	panic("no demo login for " + role)
}

// optionValue is the value of the option whose text holds label.
func optionValue(t *testing.T, options *goquery.Selection, label string) string {
	t.Helper()
	var v string
	options.EachWithBreak(func(_ int, o *goquery.Selection) bool {
		if strings.Contains(o.Text(), label) {
			v, _ = o.Attr("value")
			return false
		}
		return true
	})
	if v == "" {
		t.Fatalf("no option %q among %q", label, text(options))
	}
	return v
}
