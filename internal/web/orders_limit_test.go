package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"wholesale/internal/i18n"
	"wholesale/internal/orders"
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

// Each row of the order list shows the order's number (linking its page),
// PO reference, customer, status, total and when it was entered; the
// portal's rows link the portal's page and leave the customer out.
func TestOrderListRowsShowTheirOrder(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	var o struct {
		ID      int64     `bun:"id"`
		Status  string    `bun:"status"`
		Total   int64     `bun:"total_incl_cents"`
		Entered time.Time `bun:"created_at"`
	}
	if err := a.db.NewRaw("SELECT id, status, total_incl_cents, created_at FROM orders WHERE po_reference = 'BJ-2026-118'").Scan(context.Background(), &o); err != nil {
		t.Fatal(err)
	}
	en := i18n.For(i18n.EN)
	cells := fmt.Sprintf("%d | BJ-2026-118 | %s | %s | %s", o.ID, en.Text(orders.Status(o.Status).Label()), enAmount(o.Total), en.DateTime(o.Entered))
	for _, c := range []struct {
		who  users.Role
		path string
		href string
		want string
	}{
		{users.RoleAdmin, "/orders?po=BJ-2026-118", fmt.Sprintf("/orders/%d", o.ID), strings.Replace(cells, " | BJ-2026-118 | ", " | BJ-2026-118 | Bakkerij Jansen B.V. | ", 1)},
		{users.RoleCustomer, "/portal/orders?po=BJ-2026-118", fmt.Sprintf("/portal/orders/%d", o.ID), cells},
	} {
		_, body := a.as(c.who).get(c.path)
		list := doc(t, body).Find("main table tbody tr")
		if got := rows(list); len(got) != 1 || got[0] != c.want {
			t.Errorf("%s: the list reads %q, want %q", c.who, got, c.want)
		}
		if href, _ := list.Find("a").Attr("href"); href != c.href {
			t.Errorf("%s: the order links %q, want %q", c.who, href, c.href)
		}
	}
}
