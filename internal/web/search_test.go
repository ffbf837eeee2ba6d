package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"wholesale/internal/customers"
	"wholesale/internal/postgres"
	"wholesale/internal/users"
)

// found reads a search results page: the first cell of each row, by group.
func found(t *testing.T, body string) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	doc(t, body).Find("main section").Each(func(_ int, s *goquery.Selection) {
		group := strings.Fields(s.Find("h2").Text())[0]
		out[group] = []string{}
		s.Find("tbody tr").Each(func(_ int, tr *goquery.Selection) {
			out[group] = append(out[group], strings.TrimSpace(tr.Find("td").Eq(1).Text()))
		})
	})
	return out
}

// TestStaffSearch: the header's search box is on every staff page and on no
// customer's; it finds orders by number and PO reference, customers by name
// and KvK number, products by SKU and EAN, within what the role may see.
func TestStaffSearch(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	for _, role := range users.Roles {
		_, body := a.as(role).get("/")
		box := doc(t, body).Find("header form[role=search][action='/search'] input[name=q]")
		label := doc(t, body).Find("header form[role=search] label[for=site-search]")
		if want := role.Staff(); (box.Length() == 1 && label.Length() == 1) != want {
			t.Errorf("%s: search box %d, label %d, want one each: %v", role, box.Length(), label.Length(), want)
		}
	}
	if _, body := a.client().get("/login"); strings.Contains(body, `action="/search"`) {
		t.Error("the login page has the search box")
	}

	var released int64
	a.db.NewSelect().Table("orders").Column("id").Where("po_reference = 'BJ-2026-119'").Scan(context.Background(), &released)
	for _, c := range []struct {
		role users.Role
		q    string
		want map[string][]string
	}{
		{users.RoleAccountManager, "bj-2026", map[string][]string{"Orders": {"BJ-2026-120", "BJ-2026-119", "BJ-2026-118"}, "Customers": {}, "Products": {}}},

		{users.RoleSales, "30123456", map[string][]string{"Orders": {}, "Customers": {"30123456"}, "Products": {}}},
		{users.RoleSales, "jansen", map[string][]string{"Orders": {}, "Customers": {"30123456"}, "Products": {}}},
		{users.RoleAdmin, "3045386372362", map[string][]string{"Orders": {}, "Customers": {}, "Products": {"Food processor"}}},
		{users.RoleAdmin, "KR-EA8108", map[string][]string{"Orders": {}, "Customers": {}, "Products": {"Espresso machine Arabica"}}},
		// The warehouse sees no customers and no drafts.
		{users.RoleWarehouse, "BJ-2026-12", map[string][]string{"Orders": {}, "Products": {}}},
		{users.RoleWarehouse, "BJ-2026-119", map[string][]string{"Orders": {"BJ-2026-119"}, "Products": {}}},
	} {
		resp, body := a.as(c.role).get("/search?q=" + url.QueryEscape(c.q))
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s searches %q: %d", c.role, c.q, resp.StatusCode)
		}
		got := found(t, body)
		if fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("%s searches %q:\n got %v\nwant %v", c.role, c.q, got, c.want)
		}
		if h := doc(t, body).Find("main h1").Text(); h != "Search results for “"+c.q+"”" {
			t.Errorf("heading %q", h)
		}
	}
	// An order's number finds it first (before the POs that have the digits).
	_, body := a.as(users.RoleAccountManager).get(fmt.Sprintf("/search?q=%d", released))
	if got := found(t, body)["Orders"]; len(got) == 0 || got[0] != "BJ-2026-119" {
		t.Errorf("order %d: %q", released, got)
	}
	// The hits link to their pages, and the page says when nothing is found.
	_, body = a.as(users.RoleAccountManager).get("/search?q=BJ-2026-119")
	if href, _ := doc(t, body).Find("main section tbody a").First().Attr("href"); href != fmt.Sprintf("/orders/%d", released) {
		t.Errorf("the order's link: %q", href)
	}
	_, body = a.as(users.RoleAccountManager).get("/search?q=no+such+thing")
	if !strings.Contains(doc(t, body).Find("main").Text(), "Nothing found for “no such thing”.") {
		t.Error("no word that nothing was found")
	}
	// A query too long for any field is refused at the field, with the text kept.
	long := strings.Repeat("x", 201)
	resp, body := a.as(users.RoleSales).get("/search?q=" + long)
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	if msg := doc(t, body).Find("main #search-q-error").Text(); !strings.Contains(msg, "at most 200") || typedValue(doc(t, body), "main", "q") != long {
		t.Errorf("too long: %q", msg)
	}
}

// TestCustomerListSearchesAndPages: the list pages by name, 50 at a time,
// and finds a customer by part of its name or its KvK number.
func TestCustomerListSearchesAndPages(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ctx := context.Background()
	if err := postgres.Run(ctx, a.db, postgres.Once, func(ctx context.Context, tx *postgres.Tx) error {
		for i := 1; i <= 60; i++ {
			if err := customers.Insert(ctx, tx, a.clk.Now(), &customers.Company{Name: fmt.Sprintf("Winkel %02d", i), KvK: fmt.Sprintf("500000%02d", i)}); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	sales := a.as(users.RoleSales)
	names := func(body string) []string {
		var out []string
		doc(t, body).Find("main tbody tr td:first-child a").Each(func(_ int, s *goquery.Selection) { out = append(out, s.Text()) })
		return out
	}
	_, body := sales.get("/customers")
	first := names(body)
	next, _ := doc(t, body).Find("main a:contains('Next customers')").Attr("href")
	// The demo has two customers abroad: Küchenwelt Müller GmbH comes
	// before the shops, ООО «Кухня-Опт» after them.
	if len(first) != 50 || first[0] != "Bakkerij Jansen B.V." || first[1] != "Küchenwelt Müller GmbH" || first[49] != "Winkel 48" || next == "" {
		t.Fatalf("first page: %d, %q … %q, next %q", len(first), first[0], first[len(first)-1], next)
	}
	_, body = sales.get(next)
	second := names(body)
	if len(second) != 13 || second[0] != "Winkel 49" || second[11] != "Winkel 60" || second[12] != "ООО «Кухня-Опт»" ||
		doc(t, body).Find("main a:contains('Next customers')").Length() != 0 {
		t.Fatalf("second page: %q", second)
	}
	if href, _ := doc(t, body).Find("main a:contains('First page')").Attr("href"); href != "/customers" {
		t.Errorf("first page link %q", href)
	}
	for q, want := range map[string]string{"winkel 0": "Winkel 01 … Winkel 09", "50000042": "Winkel 42", "jansen": "Bakkerij Jansen B.V.", "nobody": ""} {
		_, body := sales.get("/customers?q=" + url.QueryEscape(q))
		got := names(body)
		s := strings.Join(got, ", ")
		if len(got) > 2 {
			s = got[0] + " … " + got[len(got)-1]
		}
		if s != want {
			t.Errorf("search %q: %q, want %q", q, s, want)
		}
		if typedValue(doc(t, body), "main", "q") != q {
			t.Errorf("search %q: the box does not show it", q)
		}
	}
	// The account manager's list has their customers only: not the shops.
	_, body = a.as(users.RoleAccountManager).get("/customers")
	if got := names(body); strings.Join(got, "|") != "Bakkerij Jansen B.V.|Küchenwelt Müller GmbH|ООО «Кухня-Опт»" {
		t.Errorf("account manager's list: %q", got)
	}
}

// TestCustomerPageListsItsOrders: the customer's page lists its orders,
// newest first, links the order list filtered to it and, for those who
// enter orders, a new order for it.
func TestCustomerPageListsItsOrders(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	id := a.companyID(t, "Bakkerij Jansen B.V.")
	page := fmt.Sprintf("/customers/%d", id)
	for role, canOrder := range map[users.Role]bool{users.RoleAccountManager: true, users.RoleAdmin: true, users.RoleSales: false} {
		c := a.as(role)
		_, body := c.get(page)
		d := doc(t, body)
		var pos []string
		d.Find("main table.customer-orders tbody tr").Each(func(_ int, tr *goquery.Selection) { pos = append(pos, tr.Find("td").Eq(1).Text()) })
		if strings.Join(pos, " ") != "INK-4478 INK-4471 BJ-2026-120 BJ-2026-119 BJ-2026-118" {
			t.Errorf("%s sees orders %q", role, pos)
		}
		all, _ := d.Find("main a:contains('in the order list')").Attr("href")
		if all != fmt.Sprintf("/orders?customer=%d", id) {
			t.Errorf("%s: link to the order list %q", role, all)
		}
		_, list := c.get(all)
		if n := doc(t, list).Find("main tbody a[href^='/orders/']").Length(); n != 5 {
			t.Errorf("%s: the order list of the customer has %d orders", role, n)
		}
		newOrder := d.Find(fmt.Sprintf("main a[href='/orders/new?customer=%d']", id))
		if (newOrder.Length() == 1) != canOrder || canOrder && newOrder.Text() != "New order for this customer" {
			t.Errorf("%s: %d links to a new order", role, newOrder.Length())
		}
		if canOrder {
			_, form := c.get(fmt.Sprintf("/orders/new?customer=%d", id))
			if _, chosen := doc(t, form).Find(fmt.Sprintf("main [name=company_id] option[value='%d']", id)).Attr("selected"); !chosen {
				t.Errorf("%s: the order form does not have the customer chosen", role)
			}
		}
	}
}

// TestSearchInDutch: the search page speaks Dutch to a Dutch reader: its
// heading, the groups of hits and what it says when a group is empty.
func TestSearchInDutch(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	sales := a.asDutch(users.RoleSales)
	_, body := sales.get("/search")
	if h := doc(t, body).Find("main h1").Text(); h != "Zoeken" {
		t.Errorf("heading %q", h)
	}
	_, body = sales.get("/search?q=jansen")
	d := doc(t, body)
	if h := d.Find("main h1").Text(); h != "Zoekresultaten voor “jansen”" {
		t.Errorf("heading %q", h)
	}
	var groups []string
	d.Find("main section h2").Each(func(_ int, h *goquery.Selection) { groups = append(groups, h.Text()) })
	if strings.Join(groups, "|") != "Orders (0)|Klanten (1)|Producten (0)" {
		t.Errorf("groups %q", groups)
	}
	if got := found(t, body)["Klanten"]; len(got) != 1 || got[0] != "30123456" {
		t.Errorf("customers found: %q", got)
	}
	main := d.Find("main").Text()
	for _, want := range []string{"Geen order heeft dit nummer of deze PO-referentie.", "Geen product heeft dit artikelnummer, deze naam, dit merk of deze EAN.", "Naam"} {
		if !strings.Contains(main, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	_, body = sales.get("/search?q=no+such+thing")
	if !strings.Contains(doc(t, body).Find("main").Text(), "Niets gevonden voor “no such thing”.") {
		t.Error("no Dutch word that nothing was found")
	}
}
