package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"wholesale/internal/users"
)

// The back-order list shows fifty waiting lines a page, in the order they
// get goods, with links to the pages before and after; the product page
// shows the product's own lines only.
func TestBackOrderListPages(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ctx := context.Background()
	// 55 more waiting lines like the demo customer's first, placed later.
	var sku string
	if err := a.db.NewRaw(`SELECT p.sku FROM demands d JOIN products p ON p.id = d.product_id
		WHERE d.status = 'open' AND d.reserved < d.quantity ORDER BY d.id LIMIT 1`).Scan(ctx, &sku); err != nil {
		t.Fatal(err)
	}
	if _, err := a.db.ExecContext(ctx, `INSERT INTO demands (product_id, company_id, reference, quantity, placed_at, expected_date)
		SELECT d.product_id, d.company_id, d.reference, d.quantity, d.placed_at + n * interval '1 minute', d.expected_date
		FROM demands d JOIN products p ON p.id = d.product_id, generate_series(1, 55) AS n
		WHERE p.sku = ? AND d.status = 'open' AND d.reserved < d.quantity ORDER BY d.id LIMIT 55`, sku); err != nil {
		t.Fatal(err)
	}
	am := a.as(users.RoleAccountManager)
	resp, body := am.get("/backorders")
	wantStatus(t, resp, http.StatusOK)
	d := doc(t, body)
	if n := d.Find("main tbody tr").Length(); n != 50 {
		t.Fatalf("first page: %d lines, want 50", n)
	}
	if pager := strings.Join(strings.Fields(d.Find("p.pager").Text()), " "); !strings.HasPrefix(pager, "Lines 1 to 50.") {
		t.Errorf("pager %q", pager)
	}
	next, ok := d.Find(`p.pager a[rel="next"]`).Attr("href")
	if !ok || next != "/backorders?page=2" || d.Find(`p.pager a[rel="prev"]`).Length() != 0 {
		t.Fatalf("first page links: next %q", next)
	}
	_, body = am.get(next)
	d = doc(t, body)
	rest := d.Find("main tbody tr").Length()
	if rest < 6 || rest >= 50 { // the 3 of the demo and 55 copies: 58 and more
		t.Fatalf("second page: %d lines", rest)
	}
	if pager := strings.Join(strings.Fields(d.Find("p.pager").Text()), " "); !strings.HasPrefix(pager, "Lines 51 to ") {
		t.Errorf("second pager %q", pager)
	}
	if prev, _ := d.Find(`p.pager a[rel="prev"]`).Attr("href"); prev != "/backorders?page=1" || d.Find(`p.pager a[rel="next"]`).Length() != 0 {
		t.Errorf("second page links: prev %q", prev)
	}
	// A page past the last shows no range, only the way back.
	_, body = am.get("/backorders?page=9")
	if d = doc(t, body); strings.Contains(d.Find("p.pager").Text(), "Lines") || d.Find(`p.pager a[rel="prev"]`).Length() != 1 {
		t.Errorf("a page past the last: %q", d.Find("p.pager").Text())
	}
	// The list of moved lines exports, and gives priority, as it is.
	_, body = am.get("/backorders?moved=1")
	if href, _ := doc(t, body).Find(`main a:contains("Export .xlsx")`).Attr("href"); href != "/backorders?format=xlsx&moved=1" {
		t.Errorf("the moved lines' export link: %q", href)
	}
	// The product's page lists its own waiting lines, every one of them.
	var productID, own int64
	if err := a.db.NewRaw(`SELECT p.id, count(*) FROM demands d JOIN products p ON p.id = d.product_id
		WHERE p.sku = ? AND d.status = 'open' AND d.reserved < d.quantity GROUP BY p.id`, sku).Scan(ctx, &productID, &own); err != nil {
		t.Fatal(err)
	}
	_, body = a.as(users.RoleAdmin).get("/products/" + itoa(productID))
	if n := int64(doc(t, body).Find("main table.backorders tbody tr").Length()); n != own {
		t.Errorf("the product page lists %d waiting lines, want its %d", n, own)
	}
}
