package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"wholesale/internal/users"
)

// With more customers than a select holds (500), the customer filter of
// the order, invoice and returns lists is a field for the customer's
// number, which the customer's page shows; filtering by it lists that
// customer's orders. With fewer, it is a select of their names.
func TestCustomerFilterPastFiveHundredCustomers(t *testing.T) {
	t.Parallel()
	app := newApp(t)
	admin := app.as(users.RoleAdmin)
	var demoID int64
	var demoName string
	if err := app.db.QueryRowContext(context.Background(), `SELECT c.id, c.name FROM companies c JOIN orders o ON o.company_id = c.id
		ORDER BY o.id LIMIT 1`).Scan(&demoID, &demoName); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/orders", "/invoices", "/returns"} {
		_, body := admin.get(path)
		if n := doc(t, body).Find(`select#customer option`).Length(); n < 2 {
			t.Fatalf("%s with the demo's customers: a select of %d choices, want them by name\n%.600s", path, n, body)
		}
	}

	if _, err := app.db.ExecContext(context.Background(), `INSERT INTO companies (name) SELECT 'Scale customer ' || n FROM generate_series(1, 500) n`); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/orders", "/invoices", "/returns"} {
		resp, body := admin.get(path)
		wantStatus(t, resp, http.StatusOK)
		d := doc(t, body)
		if d.Find(`select#customer`).Length() != 0 || d.Find(`input#customer[name="customer"][inputmode="numeric"]`).Length() != 1 {
			t.Fatalf("%s with 500 more customers: no number field for the customer\n%.800s", path, body)
		}
		if !strings.Contains(d.Find(`#customer-hint`).Text(), "the customer's number") {
			t.Errorf("%s: the field does not say what it takes", path)
		}
	}
	_, body := admin.get(fmt.Sprintf("/orders?customer=%d", demoID))
	d := doc(t, body)
	if v, _ := d.Find(`input#customer`).Attr("value"); v != fmt.Sprint(demoID) {
		t.Errorf("the field does not keep the number typed: %q", v)
	}
	if rows := d.Find(`table tbody tr`); rows.Length() == 0 || !strings.Contains(rows.Text(), demoName) {
		t.Errorf("filtered by %d: no orders of %s\n%.800s", demoID, demoName, body)
	}
	_, body = admin.get(fmt.Sprintf("/customers/%d", demoID))
	if !strings.Contains(doc(t, body).Find(`dl.facts`).Text(), fmt.Sprintf("Customer number%d", demoID)) {
		t.Errorf("the customer's page does not show its number %d", demoID)
	}
}

// The aging report shows its customers fifty to a page, with links to the
// next and previous fifty, and the total over all of them; the download
// keeps them all.
func TestAgingReportPagesItsCustomers(t *testing.T) {
	t.Parallel()
	app := newApp(t)
	ctx := context.Background()
	if _, err := app.db.ExecContext(ctx, `WITH c AS (INSERT INTO companies (name) SELECT 'Aging customer ' || lpad(n::text, 3, '0')
			FROM generate_series(1, 230) n RETURNING id)
		INSERT INTO payments (company_id, amount_cents, unallocated_cents, received_on, source, created_at)
		SELECT id, 100, 100, '2026-11-20', 'manual', now() FROM c`); err != nil {
		t.Fatal(err)
	}
	var customers int
	if err := app.db.QueryRowContext(ctx, `SELECT count(DISTINCT company_id) FROM (SELECT company_id FROM payments WHERE unallocated_cents > 0
		UNION SELECT company_id FROM invoices WHERE state = 'issued' AND total_incl_cents <> paid_cents) x`).Scan(&customers); err != nil {
		t.Fatal(err)
	}
	fin := app.as(users.RoleFinance)
	seen := map[string]bool{}
	var totals []string
	pages := (customers + 49) / 50
	if pages != 5 {
		t.Fatalf("%d customers make %d pages, want 5", customers, pages)
	}
	for page := 1; page <= pages; page++ {
		resp, body := fin.get(fmt.Sprintf("/receivables/aging?page=%d", page))
		wantStatus(t, resp, http.StatusOK)
		d := doc(t, body)
		rows := d.Find("table.aging tbody tr[data-customer]")
		want := min(50, customers-(page-1)*50)
		if rows.Length() != want {
			t.Fatalf("page %d: %d customers, want %d", page, rows.Length(), want)
		}
		rows.Each(func(_ int, s *goquery.Selection) { seen[s.AttrOr("data-customer", "")] = true })
		pager := d.Find("p.pager").Text()
		if !strings.Contains(pager, fmt.Sprintf("Customers %d to %d of %d.", (page-1)*50+1, (page-1)*50+want, customers)) {
			t.Errorf("page %d: the pager says %q", page, pager)
		}
		if _, ok := d.Find(`a[rel="next"]`).Attr("href"); ok != (page < pages) {
			t.Errorf("page %d: a link to the next page: %v", page, ok)
		}
		if _, ok := d.Find(`a[rel="prev"]`).Attr("href"); ok != (page > 1) {
			t.Errorf("page %d: a link to the previous page: %v", page, ok)
		}
		totals = append(totals, d.Find("table.aging tfoot").Text())
	}
	if len(seen) != customers {
		t.Errorf("the %d pages show %d customers, want %d", pages, len(seen), customers)
	}
	if totals[0] != totals[pages-1] || !strings.Contains(totals[0], "230.00") {
		t.Errorf("the total is not over all customers on every page: %q, %q", totals[0], totals[pages-1])
	}
}

// The complaints log shows the fifty most urgent complaints and says
// that there are more, and where they are; with fewer it says nothing.
func TestComplaintLogShowsTheFiftyMostUrgent(t *testing.T) {
	t.Parallel()
	app := newApp(t)
	for i := 0; i < 50; i++ {
		app.fileComplaint(t, 0, fmt.Sprintf("Complaint number %d of a busy month.", i))
	}
	svc := app.as(users.RoleCustomerService)
	_, body := svc.get("/complaints")
	d := doc(t, body)
	if n := d.Find("table.complaints tbody tr.complaint").Length(); n != 50 {
		t.Fatalf("%d complaints listed, want 50", n)
	}
	if d.Find("p.more").Length() != 0 {
		t.Fatalf("a note of more with exactly 50 complaints")
	}
	app.fileComplaint(t, 0, "The fifty-first.")
	_, body = svc.get("/complaints")
	d = doc(t, body)
	if n := d.Find("table.complaints tbody tr.complaint").Length(); n != 50 {
		t.Fatalf("%d complaints listed of 51, want 50", n)
	}
	if !strings.Contains(d.Find("p.more").Text(), "These are the 50 most urgent") {
		t.Errorf("no note that the log holds more:\n%.500s", d.Find("table.complaints").Next().Text())
	}
}
