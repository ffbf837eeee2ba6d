package web_test

import (
	"strings"
	"testing"

	"wholesale/internal/users"
)

// The order list shows as many orders a page as limit= asks (the o2c
// bench lists 40 of a customer's), keeps that size on its filter form and
// its link to older orders, and shows its usual 50 at most for a limit it
// cannot read.
func TestOrderListPageSize(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	admin := a.as(users.RoleAdmin)
	rows := func(path string) (int, string, string) {
		_, body := admin.get(path)
		d := doc(t, body)
		next, _ := d.Find(`a:contains("Older orders")`).Attr("href")
		kept, _ := d.Find(`form[action="/orders"] input[name=limit]`).Attr("value")
		return d.Find("table tbody tr td a[href^='/orders/']").Length(), next, kept
	}
	all, _, _ := rows("/orders")
	if all < 4 {
		t.Fatalf("the demo data list %d orders: too few to page", all)
	}
	n, next, kept := rows("/orders?limit=3")
	if n != 3 || !strings.Contains(next, "limit=3") || !strings.Contains(next, "before=") || kept != "3" {
		t.Fatalf("limit=3: %d orders, link to older %q, filter keeps limit %q; want 3, a link with limit=3&before=, 3", n, next, kept)
	}
	n2, _, _ := rows(next)
	if n2 < 1 || n2 > 3 {
		t.Fatalf("the next page of 3 shows %d orders", n2)
	}
	for _, bad := range []string{"abc", "0", "-5"} {
		if n, _, kept := rows("/orders?limit=" + bad); n != all || kept != bad {
			t.Errorf("limit=%s: %d orders, want the usual %d", bad, n, all)
		}
	}
}
