package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"wholesale/internal/orders"
	"wholesale/internal/users"
)

// shippedOrder places an order of the demo customer, released by its
// written confirmation, and ships all of it, as the account manager and
// the warehouse do.
func (a *testApp) shippedOrder(t *testing.T, po string, lines ...orders.LineInput) int64 {
	t.Helper()
	o := a.releasedOrder(t, po, lines...)
	a.ship(t, o.ID)
	return o.ID
}

// returnLine is how the return form names the shipped line of sku of an
// order: "<shipment>-<order line>".
func (a *testApp) returnLine(t *testing.T, orderID int64, sku string) string {
	t.Helper()
	var line struct {
		ShipmentID  int64 `bun:"shipment_id"`
		OrderLineID int64 `bun:"order_line_id"`
	}
	if err := a.db.NewRaw(`SELECT sl.shipment_id, sl.order_line_id FROM shipment_lines sl JOIN shipments sh ON sh.id = sl.shipment_id
		JOIN order_lines ol ON ol.id = sl.order_line_id JOIN products p ON p.id = ol.product_id
		WHERE sh.order_id = ? AND p.sku = ? ORDER BY sh.id LIMIT 1`, orderID, sku).Scan(context.Background(), &line); err != nil {
		t.Fatalf("no shipped line of %s in order %d: %v", sku, orderID, err)
	}
	return fmt.Sprintf("%d-%d", line.ShipmentID, line.OrderLineID)
}

// returnForm is a good return form of the demo customer for qty units of
// the shipped line of sku in order orderID, dead on arrival, a replacement
// asked for; with the fields of kv replaced (an empty doa unchecks it).
func (a *testApp) returnForm(t *testing.T, orderID int64, sku string, kv ...string) url.Values {
	t.Helper()
	v := form("customer", fmt.Sprint(a.companyID(t, "Bakkerij Jansen B.V.")), "order", fmt.Sprint(orderID), "line", a.returnLine(t, orderID, sku),
		"quantity", "1", "serials", "", "fault", "Does not switch on.", "doa", "1", "remedy", "replacement")
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
		if v.Get(kv[i]) == "" {
			v.Del(kv[i])
		}
	}
	return v
}

// fileReturn posts a return form as c and returns the return's page.
func fileReturn(t *testing.T, c *client, values url.Values) string {
	t.Helper()
	resp, body := c.post("/returns", values)
	if resp.StatusCode != http.StatusFound || !strings.HasPrefix(resp.Header.Get("Location"), "/returns/") {
		t.Fatalf("filing the return: %d %s\n%s", resp.StatusCode, resp.Header.Get("Location"), mainText(doc(t, body)))
	}
	return resp.Header.Get("Location")
}

// returnAct posts form to the action of the return at page (approve,
// test, …) as c, and wants the return's page back.
func returnAct(t *testing.T, c *client, page, action string, values url.Values) {
	t.Helper()
	resp, body := c.post(page+"/"+action, values)
	if resp.StatusCode != http.StatusFound || !strings.HasPrefix(resp.Header.Get("Location"), page) {
		t.Fatalf("%s %s: %d %s\n%s", action, page, resp.StatusCode, resp.Header.Get("Location"), mainText(doc(t, body)))
	}
}

// returnID is the id of the return at page.
func returnID(t *testing.T, page string) int64 {
	t.Helper()
	var id int64
	if _, err := fmt.Sscanf(page, "/returns/%d", &id); err != nil {
		t.Fatalf("%q: %v", page, err)
	}
	return id
}

// raOf is the RA number of the return at page.
func (a *testApp) raOf(t *testing.T, page string) string {
	t.Helper()
	var ra string
	if err := a.db.NewRaw("SELECT COALESCE(ra_number, '') FROM returns WHERE id = ?", returnID(t, page)).Scan(context.Background(), &ra); err != nil {
		t.Fatal(err)
	}
	return ra
}

// receiveAndTest receives the parcel of the return at page and tests its
// units with results, as the warehouse does.
func (a *testApp) receiveAndTest(t *testing.T, page string, results ...string) {
	t.Helper()
	wh := a.as(users.RoleWarehouse)
	resp, body := wh.post("/returns/receive", form("ra", a.raOf(t, page)))
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("receiving: %d\n%s", resp.StatusCode, mainText(doc(t, body)))
	}
	tests := url.Values{}
	for i, r := range results {
		tests.Set(fmt.Sprintf("result_%d", i+1), r)
		tests.Set(fmt.Sprintf("note_%d", i+1), "Tested on the bench: "+r)
	}
	returnAct(t, wh, page, "test", tests)
}

// returnFixture are the returns of the page walk and the bad input table:
// one waiting for approval, one whose parcel is expected (approved), one
// received and tested, one settled with a replacement, one referred to
// the service centre.
type returnFixture struct {
	requested, approved, tested, settled, referred int64
	replacement                                    int64
}

// addReturns files the returns of a returnFixture on a new order of the
// demo customer, shipped in full, as the account manager and the
// warehouse do.
func addReturns(t *testing.T, a *testApp) returnFixture {
	t.Helper()
	order := a.shippedOrder(t, "RET-WALK", orders.LineInput{SKU: "KR-F3090", Quantity: 5}, orders.LineInput{SKU: "KR-XS5300", Quantity: 2})
	am := a.as(users.RoleAccountManager)
	pages := map[string]string{}
	for _, name := range []string{"requested", "approved", "tested", "settled"} {
		pages[name] = fileReturn(t, am, a.returnForm(t, order, "KR-F3090", "fault", "Dead: "+name))
	}
	pages["referred"] = fileReturn(t, am, a.returnForm(t, order, "KR-XS5300"))
	for _, name := range []string{"approved", "tested", "settled"} {
		returnAct(t, am, pages[name], "approve", nil)
	}
	a.receiveAndTest(t, pages["tested"], "fault_confirmed")
	a.receiveAndTest(t, pages["settled"], "fault_confirmed")
	returnAct(t, am, pages["settled"], "settle", form("remedy", "replacement"))
	f := returnFixture{requested: returnID(t, pages["requested"]), approved: returnID(t, pages["approved"]), tested: returnID(t, pages["tested"]),
		settled: returnID(t, pages["settled"]), referred: returnID(t, pages["referred"])}
	if err := a.db.NewRaw("SELECT replacement_order_id FROM returns WHERE id = ?", f.settled).Scan(context.Background(), &f.replacement); err != nil || f.replacement == 0 {
		t.Fatalf("no replacement order: %v", err)
	}
	return f
}

// seen are the returns every staff role sees (the warehouse those with an RA).
func (f returnFixture) seen() []int64 { return []int64{f.approved, f.tested, f.settled} }
