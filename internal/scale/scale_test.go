package scale_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/clock"
	"wholesale/internal/credit"
	"wholesale/internal/ident"
	"wholesale/internal/invoicing"
	"wholesale/internal/orders"
	"wholesale/internal/pgtest"
	"wholesale/internal/scale"
	"wholesale/internal/users"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// logWriter sends the progress to the test's log.
type logWriter struct{ t testing.TB }

func (w logWriter) Write(b []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(b), "\n"))
	return len(b), nil
}

// end is the moment the test data sets end: a Tuesday morning, before the
// day's cutoff, so that today's shipments wait on drafts.
var end = time.Date(2026, 11, 24, 9, 30, 0, 0, time.UTC)

func seed(t testing.TB, db *bun.DB, orders int) *scale.Result {
	t.Helper()
	res, err := scale.Seed(context.Background(), db, pgtest.DSN(t, db), scale.Options{Orders: orders, Seed: 7, Now: end,
		Clock: clock.System{}, Hasher: users.FastHasher, Out: logWriter{t}})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// query runs a query of one number.
func query(t *testing.T, db bun.IDB, q string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := db.NewRaw(q, args...).Scan(context.Background(), &n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// A small data set has every kind of row, the skew of real trade, the
// fixed logins, and keeps every invariant; the app's own code reads it,
// and its services go on working on it.
func TestSeedScale(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.New(t)
	res := seed(t, db, 2000)
	sizes := scale.SizesFor(2000)

	orderCount := query(t, db, `SELECT count(*) FROM orders`)
	if orderCount < 2000 || orderCount > 2100 {
		t.Errorf("%d orders for 2,000 and their replacements", orderCount)
	}
	for q, want := range map[string]int64{
		`SELECT count(*) FROM companies`: int64(sizes.Customers),
		`SELECT count(*) FROM products`:  int64(sizes.Products),
		`SELECT count(*) FROM stock`:     int64(2 * sizes.Products),
	} {
		if got := query(t, db, q); got != want {
			t.Errorf("%s: %d, want %d", q, got, want)
		}
	}
	// Every company's VAT id, IBAN and KvK number passes the checks of
	// the forms, check digits and all.
	var ids []struct {
		VATID string `bun:"vat_id"`
		IBAN  string `bun:"iban"`
		KvK   string `bun:"kvk"`
	}
	if err := db.NewRaw(`SELECT vat_id, iban, kvk FROM companies`).Scan(ctx, &ids); err != nil {
		t.Fatal(err)
	}
	foreign := 0
	for _, c := range ids {
		if _, msg := ident.ParseIBAN(c.IBAN); !msg.IsZero() {
			t.Errorf("IBAN %q: %s", c.IBAN, msg)
		}
		if c.VATID != "" {
			if _, msg := ident.ParseVAT(c.VATID); !msg.IsZero() {
				t.Errorf("VAT id %q: %s", c.VATID, msg)
			}
			if c.VATID[:2] != "NL" {
				foreign++
			}
		}
		if c.KvK != "" {
			if _, msg := ident.ParseKvK(c.KvK); !msg.IsZero() {
				t.Errorf("KvK %q: %s", c.KvK, msg)
			}
		}
	}
	if foreign == 0 {
		t.Error("no foreign VAT ids")
	}
	if lines := query(t, db, `SELECT count(*) FROM order_lines`); lines < 4*orderCount || lines > 6*orderCount {
		t.Errorf("%d lines for %d orders: not 5 on average", lines, orderCount)
	}
	for _, s := range orders.Statuses {
		if query(t, db, `SELECT count(*) FROM orders WHERE status = ?`, s) == 0 {
			t.Errorf("no order is %s", s)
		}
	}
	for what, q := range map[string]string{
		"waiting back orders":             `SELECT count(*) FROM demands WHERE status = 'open' AND reserved < quantity AND expected_date IS NOT NULL`,
		"back orders shipped later":       `SELECT count(*) FROM (SELECT order_id FROM shipments GROUP BY order_id HAVING count(*) > 1) x`,
		"cancelled lines":                 `SELECT count(*) FROM order_lines WHERE cancelled`,
		"amended orders":                  `SELECT count(*) FROM order_revisions WHERE revision > 1`,
		"draft invoices":                  `SELECT count(*) FROM invoices WHERE state = 'draft'`,
		"credit notes":                    `SELECT count(*) FROM invoices WHERE kind = 'credit_note'`,
		"credit notes set off":            `SELECT count(*) FROM allocations WHERE reason = 'set_off'`,
		"prepayments":                     `SELECT count(*) FROM allocations WHERE order_id IS NOT NULL`,
		"overdue invoices":                `SELECT count(*) FROM invoices WHERE kind = 'invoice' AND state = 'issued' AND paid_cents < total_incl_cents AND due_date < '2026-11-24'`,
		"reminders":                       `SELECT count(*) FROM invoice_reminders`,
		"held orders":                     `SELECT count(*) FROM orders WHERE credit_hold = 'held'`,
		"settled returns":                 `SELECT count(*) FROM returns WHERE state = 'settled'`,
		"referred returns":                `SELECT count(*) FROM returns WHERE state = 'referred' AND service_centre IS NOT NULL`,
		"replacement orders":              `SELECT count(*) FROM orders WHERE return_id IS NOT NULL OR complaint_id IS NOT NULL`,
		"resolved complaints":             `SELECT count(*) FROM complaints WHERE state IN ('resolved', 'escalated', 'closed')`,
		"audit entries of orders":         `SELECT count(*) FROM audit_log WHERE entity = 'order' AND action = 'ship'`,
		"stored PDF copies":               `SELECT count(*) FROM invoice_documents WHERE copy AND format = 'pdf'`,
		"customer prices":                 `SELECT count(*) FROM customer_prices`,
		"open supplier orders":            `SELECT count(*) FROM supplier_orders WHERE status = 'open'`,
		"orders of ten years ago":         `SELECT count(*) FROM orders WHERE created_at < '2017-01-01'`,
		"invoices in two languages":       `SELECT count(DISTINCT language) - 1 FROM invoices`,
		"reverse-charged or export goods": `SELECT count(*) FROM invoices WHERE vat_mode <> 'domestic'`,
	} {
		if query(t, db, q) == 0 {
			t.Errorf("no %s", what)
		}
	}

	// The skew: the busiest customer places the most orders, a fifth of
	// the customers most of them, a tenth of the products many lines.
	var busiest int64
	if err := db.NewRaw(`SELECT company_id FROM orders GROUP BY company_id ORDER BY count(*) DESC LIMIT 1`).Scan(ctx, &busiest); err != nil || busiest != res.Busiest {
		t.Errorf("the busiest customer is %d, Seed says %d (%v)", busiest, res.Busiest, err)
	}
	if share := query(t, db, `SELECT (100 * sum(n) / (SELECT count(*) FROM orders))::bigint FROM (SELECT count(*) AS n FROM orders
		GROUP BY company_id ORDER BY n DESC LIMIT ?) x`, sizes.Customers/5); share < 45 {
		t.Errorf("a fifth of the customers place %d%% of the orders", share)
	}
	if share := query(t, db, `SELECT (100 * sum(n) / (SELECT count(*) FROM order_lines))::bigint FROM (SELECT count(*) AS n FROM order_lines
		GROUP BY product_id ORDER BY n DESC LIMIT ?) x`, sizes.Products/10); share < 35 {
		t.Errorf("a tenth of the products make %d%% of the lines", share)
	}

	// The fixed logins, with the password of every user.
	us := users.NewService(db, clock.NewFixed(end), users.FastHasher)
	logged := map[string]*users.User{}
	for _, l := range scale.Logins {
		u, err := us.Login(ctx, l.Email, scale.DefaultPassword)
		if err != nil || string(u.Role) != l.Role {
			t.Fatalf("login %s: %+v %v", l.Email, u, err)
		}
		logged[l.Role] = u
	}
	if *logged["customer"].CompanyID != res.Busiest ||
		query(t, db, `SELECT account_manager_id FROM companies WHERE id = ?`, res.Busiest) != logged["account_manager"].ID ||
		query(t, db, `SELECT count(*) FROM companies WHERE account_manager_id = ?`, logged["account_manager"].ID) < 3 {
		t.Error("buyer@ and am@ are not the busiest customer's user and account manager, or am@ has few customers")
	}

	// The app reads it: an order page's order and its 50 revisions, an
	// invoice and a credit note as issued, the busiest customer's credit.
	am := logged["account_manager"]
	os := &orders.Service{DB: db, Clock: clock.NewFixed(end)}
	o, err := os.Get(ctx, am, res.Revised)
	if err != nil || o.POReference != scale.RevisedPO || o.Revision != 50 {
		t.Fatalf("the revised order: %+v %v", o, err)
	}
	if revs, err := orders.Revisions(ctx, db, o.ID); err != nil || len(revs) != 50 || revs[0].Summary == "" {
		t.Fatalf("%d revisions: %v", len(revs), err)
	}
	for _, s := range orders.Statuses {
		id := query(t, db, `SELECT max(id) FROM orders WHERE status = ? AND company_id = ?`, s, res.Busiest)
		if id == 0 {
			continue
		}
		if o, err := os.Get(ctx, am, id); err != nil || len(o.Lines) == 0 || string(o.Status) != string(s) {
			t.Errorf("order %d (%s): %+v %v", id, s, o, err)
		}
	}
	inv := &invoicing.Service{DB: db, Clock: clock.NewFixed(end), Calendar: invoicing.LoadCalendar}
	for _, kind := range []string{"invoice", "credit_note"} {
		var number string
		if err := db.NewRaw(`SELECT number FROM invoices WHERE kind = ? AND state = 'issued' ORDER BY id DESC LIMIT 1`, kind).Scan(ctx, &number); err != nil {
			t.Fatal(err)
		}
		doc, err := inv.Get(ctx, logged["finance"], number)
		if err != nil {
			t.Fatalf("%s %s: %v", kind, number, err)
		}
		if d, err := invoicing.DocumentOf(ctx, db, doc); err != nil || d.TotalInclCents != doc.TotalInclCents || len(d.Lines) == 0 {
			t.Fatalf("document of %s: %+v %v", number, d, err)
		}
	}
	pos, err := credit.Of(ctx, db, res.Busiest, 0, end)
	if err != nil || pos.Prepayment || pos.ExposureCents() <= 0 || pos.AvailableCents() <= 0 || pos.Overdue {
		t.Errorf("the busiest customer's credit: %+v %v", pos, err)
	}

	// A second load into it is refused.
	if _, err := scale.Seed(ctx, db, pgtest.DSN(t, db), scale.Options{Orders: 10, Hasher: users.FastHasher}); err == nil ||
		!strings.Contains(err.Error(), "holds orders") {
		t.Errorf("a second seed: %v", err)
	}

	servicesGoOn(t, db, res, logged)
}

// BenchmarkSeedScale loads a small data set: make test runs it once.
func BenchmarkSeedScale(b *testing.B) {
	const n = 2000
	for b.Loop() {
		b.StopTimer()
		db := pgtest.New(b)
		b.StartTimer()
		res, err := scale.Seed(context.Background(), db, pgtest.DSN(b, db), scale.Options{Orders: n, Seed: uint64(b.N), Now: end,
			Clock: clock.System{}, Hasher: users.FastHasher})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(n)/res.Total.Seconds(), "orders/s")
	}
}

// The floors: the smallest data sets still have a row of every kind the
// invariants speak of, and keep them; so does a load that checks every
// foreign key and trigger row by row (as a user who is no superuser).
func TestSeedScaleTinySizes(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		orders    int
		rowChecks bool
	}{{20, false}, {300, true}} {
		t.Run(fmt.Sprintf("%d orders, row checks %v", c.orders, c.rowChecks), func(t *testing.T) {
			db := pgtest.New(t)
			_, err := scale.Seed(context.Background(), db, pgtest.DSN(t, db), scale.Options{Orders: c.orders, Seed: 3, Now: end,
				Clock: clock.System{}, Hasher: users.FastHasher, RowChecks: c.rowChecks})
			if err != nil {
				t.Fatal(err)
			}
			for _, table := range []string{"orders", "order_lines", "demands", "shipments", "invoices", "invoice_lines", "payments",
				"allocations", "order_revisions", "audit_log", "returns", "complaints", "supplier_orders", "customer_prices"} {
				if query(t, db, `SELECT count(*) FROM `+table) == 0 {
					t.Errorf("no %s", table)
				}
			}
		})
	}
}
