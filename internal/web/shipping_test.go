package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"wholesale/internal/users"
)

// orderID is the id of the demo customer's order with PO reference po.
func (a *testApp) orderID(t *testing.T, po string) int64 {
	t.Helper()
	var id int64
	if err := a.db.NewRaw("SELECT id FROM orders WHERE po_reference = ?", po).Scan(context.Background(), &id); err != nil {
		t.Fatalf("order %s: %v", po, err)
	}
	return id
}

// placeReleased places an order of the demo customer as its account
// manager and records the customer's written confirmation: released to
// the warehouse. lines are SKU, quantity, …; it returns the order's id.
func placeReleased(t *testing.T, a *testApp, po string, lines ...string) int64 {
	t.Helper()
	id := placeOrder(t, a, po, lines...)
	resp, body := a.as(users.RoleAccountManager).post(fmt.Sprintf("/orders/%d/confirm-written", id),
		url.Values{"note": {"mail of Joris Jansen"}, "received_on": {"2026-11-24"}})
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("confirming %s: %d\n%s", po, resp.StatusCode, doc(t, body).Find("main").Text())
	}
	return id
}

// placeOrder places an order of the demo customer as its account manager.
func placeOrder(t *testing.T, a *testApp, po string, lines ...string) int64 {
	t.Helper()
	form := url.Values{"company_id": {fmt.Sprint(a.companyID(t, "Bakkerij Jansen B.V."))}, "po_reference": {po}, "address": {"visiting"},
		"shipping_method": {"UPS"}, "shipping": {"9,95"}, "action": {"place"}}
	for i := 0; i+1 < len(lines); i += 2 {
		form.Set(fmt.Sprintf("sku_%d", i/2), lines[i])
		form.Set(fmt.Sprintf("qty_%d", i/2), lines[i+1])
	}
	resp, body := a.as(users.RoleAccountManager).post("/orders", form)
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("placing %s: %d\n%s", po, resp.StatusCode, doc(t, body).Find("main").Text())
	}
	var id int64
	fmt.Sscanf(resp.Header.Get("Location"), "/orders/%d", &id)
	return id
}

// orderLines are the ids of an order's lines by SKU.
func orderLines(t *testing.T, a *testApp, orderID int64) map[string]int64 {
	t.Helper()
	var rows []struct {
		ID  int64  `bun:"id"`
		SKU string `bun:"sku"`
	}
	if err := a.db.NewRaw("SELECT l.id, p.sku FROM order_lines l JOIN products p ON p.id = l.product_id WHERE l.order_id = ?", orderID).
		Scan(context.Background(), &rows); err != nil {
		t.Fatal(err)
	}
	out := map[string]int64{}
	for _, r := range rows {
		out[r.SKU] = r.ID
	}
	return out
}

func mainText(d *goquery.Document) string {
	return strings.Join(strings.Fields(d.Find("main").Text()), " ")
}

// TestWarehouseShipsFromItsList: the warehouse finds the released orders
// on its list, oldest first, opens the ship form with each line's ready
// quantity filled in, ships part of an order with UPS and sees the tracking
// number, the quantity shipped and "partly shipped" on the order page;
// shipping the rest takes the order off the list.
func TestWarehouseShipsFromItsList(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	demo := a.orderID(t, "BJ-2026-119") // released with the demo data: KR-F3090 × 6, KR-XS5300 × 24
	partly := a.orderID(t, "INK-4478")  // shipped in part with the demo data, placed after BJ-2026-119
	a.clk.Advance(time.Hour)
	newer := placeReleased(t, a, "BJ-SHIP-1", "KR-F3090", "2", "TF-GC7148", "1") // no TF-GC7148 in stock
	wh := a.as(users.RoleWarehouse)

	_, body := wh.get("/")
	if item := doc(t, body).Find("main a[href='/warehouse/ship']"); item.Length() == 0 {
		t.Fatal("the warehouse's home page does not link its list")
	}
	resp, body := wh.get("/warehouse/ship")
	wantStatus(t, resp, http.StatusOK)
	d := doc(t, body)
	var listed []string
	d.Find("main tbody tr").Each(func(_ int, r *goquery.Selection) { listed = append(listed, r.Find("td").First().Text()) })
	if strings.Join(listed, ",") != fmt.Sprintf("%d,%d,%d", demo, partly, newer) {
		t.Fatalf("the list, oldest first: %v, want %d, %d, %d", listed, demo, partly, newer)
	}
	row := d.Find("main tbody tr").Eq(2)
	if !strings.Contains(row.Text(), "BJ-SHIP-1") || !strings.Contains(row.Text(), "1 of 2") || row.Find(fmt.Sprintf("a[href='/orders/%d/ship']", newer)).Length() != 1 ||
		row.Find(fmt.Sprintf("a[href='/orders/%d/packing-list']", newer)).Length() != 1 {
		t.Errorf("the second row: %s", strings.Join(strings.Fields(row.Text()), " "))
	}

	lines := orderLines(t, a, demo)
	_, body = wh.get(fmt.Sprintf("/orders/%d/ship", demo))
	d = doc(t, body)
	if v, _ := d.Find(fmt.Sprintf("input[name='qty_%d']", lines["KR-XS5300"])).Attr("value"); v != "24" {
		t.Errorf("the form proposes %q of KR-XS5300, want the 24 ready", v)
	}
	if v, _ := d.Find("select[name=carrier] option[selected]").Attr("value"); v != "UPS" {
		t.Errorf("carrier %q, want UPS", v)
	}
	resp, _ = wh.post(fmt.Sprintf("/orders/%d/ship", demo), url.Values{fmt.Sprintf("qty_%d", lines["KR-F3090"]): {"4"},
		fmt.Sprintf("qty_%d", lines["KR-XS5300"]): {"0"}, "carrier": {"UPS"}, "tracking_number": {"1z 999aa1 0123456784"}})
	wantStatus(t, resp, http.StatusFound)
	resp, body = wh.get(resp.Header.Get("Location"))
	wantStatus(t, resp, http.StatusOK)
	d = doc(t, body)
	if text := mainText(d); !strings.Contains(text, "the shipment is recorded (UPS, tracking number 1Z999AA10123456784)") || !strings.Contains(text, "Status: partly shipped") {
		t.Errorf("the order page after shipping: %.400s", text)
	}
	link := d.Find("#shipments a.tracking")
	if href, _ := link.Attr("href"); link.Text() != "1Z999AA10123456784" || href != "https://www.ups.com/track?tracknum=1Z999AA10123456784" {
		t.Errorf("tracking link %q → %q", link.Text(), href)
	}
	if got := d.Find("#shipments .shipped-line").Text(); got != "4 × KR-F3090" {
		t.Errorf("the shipment holds %q", got)
	}
	if got := d.Find("main table tbody tr").First().Find("td[data-label=Shipped]").Text(); got != "4" {
		t.Errorf("line 1 shows %q shipped, want 4", got)
	}
	// The rest: the form proposes what is left.
	_, body = wh.get(fmt.Sprintf("/orders/%d/ship", demo))
	if v, _ := doc(t, body).Find(fmt.Sprintf("input[name='qty_%d']", lines["KR-F3090"])).Attr("value"); v != "2" {
		t.Errorf("the form proposes %q of KR-F3090, want the 2 left", v)
	}
	resp, _ = wh.post(fmt.Sprintf("/orders/%d/ship", demo), url.Values{fmt.Sprintf("qty_%d", lines["KR-F3090"]): {"2"},
		fmt.Sprintf("qty_%d", lines["KR-XS5300"]): {"24"}, "carrier": {"own"}, "tracking_number": {""}})
	wantStatus(t, resp, http.StatusFound)
	_, body = wh.get(fmt.Sprintf("/orders/%d", demo))
	if text := mainText(doc(t, body)); !strings.Contains(text, "Status: shipped") || !strings.Contains(text, "own transport") {
		t.Errorf("after the rest: %.400s", text)
	}
	if doc(t, body).Find(fmt.Sprintf("a[href='/orders/%d/ship']", demo)).Length() != 0 {
		t.Error("a shipped order still offers the ship button")
	}
	_, body = wh.get("/warehouse/ship")
	if strings.Contains(body, fmt.Sprintf("/orders/%d/ship", demo)) || doc(t, body).Find("main tbody tr").Length() != 2 {
		t.Errorf("the shipped order is still on the list:\n%s", mainText(doc(t, body)))
	}
	var onHand, reserved int
	a.db.NewRaw("SELECT on_hand, reserved FROM stock s JOIN products p ON p.id = s.product_id JOIN warehouses w ON w.id = s.warehouse_id WHERE p.sku = 'KR-XS5300' AND w.is_main").
		Scan(context.Background(), &onHand, &reserved)
	if onHand != 176 || reserved != 0 {
		t.Errorf("stock of KR-XS5300: %d on hand, %d reserved; want 176 and 0", onHand, reserved)
	}
}

// TestShipFormRefusesAtTheLine: more than is ready comes back at the line
// with what was typed, nothing shipped; an order waiting for its
// confirmation shows why it does not ship and no form.
func TestShipFormRefusesAtTheLine(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	demo := a.orderID(t, "BJ-2026-119")
	lines := orderLines(t, a, demo)
	wh := a.as(users.RoleWarehouse)
	field := fmt.Sprintf("qty_%d", lines["KR-F3090"])
	resp, body := wh.post(fmt.Sprintf("/orders/%d/ship", demo), url.Values{field: {"7"}, "carrier": {"DHL"}, "tracking_number": {"JJD00039"}})
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	d := doc(t, body)
	if msg := fieldMessage(d, "", field); msg != "At most 6 of this line can ship now: 6 ordered, 6 reserved, 0 shipped." {
		t.Errorf("message at the line: %q", msg)
	}
	if msg := fieldMessage(d, "", "tracking_number"); !strings.HasPrefix(msg, "A DHL tracking number is") {
		t.Errorf("message at the tracking number: %q", msg)
	}
	if typedValue(d, "", field) != "7" || typedValue(d, "", "tracking_number") != "JJD00039" {
		t.Errorf("the form lost what was typed")
	}
	if v, _ := d.Find("select[name=carrier] option[selected]").Attr("value"); v != "DHL" {
		t.Errorf("the carrier chosen is lost: %q", v)
	}
	var n int
	a.db.NewRaw("SELECT count(*) FROM shipments WHERE order_id = ?", demo).Scan(context.Background(), &n)
	if n != 0 {
		t.Fatalf("%d shipments after a refusal", n)
	}

	awaiting := a.orderID(t, "BJ-2026-118") // awaits the customer's confirmation
	resp, body = wh.get(fmt.Sprintf("/orders/%d/ship", awaiting))
	wantStatus(t, resp, http.StatusOK)
	d = doc(t, body)
	if !strings.Contains(mainText(d), "awaits the customer's confirmation: it ships once it is confirmed") || d.Find("main button[type=submit]").Length() != 0 {
		t.Errorf("the form of an unconfirmed order: %.300s", mainText(d))
	}
	awaitingLines := orderLines(t, a, awaiting)
	resp, body = wh.post(fmt.Sprintf("/orders/%d/ship", awaiting), url.Values{fmt.Sprintf("qty_%d", awaitingLines["TF-FR4016"]): {"1"}, "tracking_number": {"1Z999AA10123456784"}})
	wantStatus(t, resp, http.StatusConflict)
	if !strings.Contains(doc(t, body).Find(".error-box").Text(), "awaits the customer's confirmation") {
		t.Errorf("a post for an unconfirmed order: %.300s", mainText(doc(t, body)))
	}
}

// TestCustomerFollowsItsShipment: the customer's portal shows the shipment
// with the tracking link; the API lists it for the customer and answers
// another company's customer 404.
func TestCustomerFollowsItsShipment(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	demo := a.orderID(t, "BJ-2026-119")
	lines := orderLines(t, a, demo)
	resp, _ := a.as(users.RoleWarehouse).post(fmt.Sprintf("/orders/%d/ship", demo), url.Values{fmt.Sprintf("qty_%d", lines["KR-XS5300"]): {"10"},
		fmt.Sprintf("qty_%d", lines["KR-F3090"]): {"0"}, "carrier": {"PostNL"}, "tracking_number": {"3SDEVC123456789"}})
	wantStatus(t, resp, http.StatusFound)

	_, body := a.as(users.RoleCustomer).get(fmt.Sprintf("/portal/orders/%d", demo))
	d := doc(t, body)
	link := d.Find("#shipments a.tracking")
	if href, _ := link.Attr("href"); link.Text() != "3SDEVC123456789" || !strings.HasPrefix(href, "https://jouw.postnl.nl/track-and-trace/3SDEVC123456789-NL-") {
		t.Errorf("the portal's tracking link %q → %q", link.Text(), href)
	}
	if d.Find("#shipments form").Length() != 0 || !strings.Contains(d.Find("#shipments").Text(), "10 × KR-XS5300") {
		t.Errorf("the portal's shipments: %s", strings.Join(strings.Fields(d.Find("#shipments").Text()), " "))
	}

	resp, body = a.apiClient(t, users.RoleCustomer).get(fmt.Sprintf("/api/v1/orders/%d/shipments", demo))
	wantStatus(t, resp, http.StatusOK)
	var got struct {
		Shipments []struct {
			Carrier        string `json:"carrier"`
			TrackingNumber string `json:"tracking_number"`
			TrackingURL    string `json:"tracking_url"`
			ShippedOn      string `json:"shipped_on"`
			Lines          []struct {
				SKU      string `json:"sku"`
				Quantity int    `json:"quantity"`
			} `json:"lines"`
		} `json:"shipments"`
	}
	if err := json.Unmarshal([]byte(body), &got); err != nil || len(got.Shipments) != 1 || got.Shipments[0].TrackingNumber != "3SDEVC123456789" ||
		got.Shipments[0].Carrier != "PostNL" || len(got.Shipments[0].Lines) != 1 || got.Shipments[0].Lines[0].Quantity != 10 ||
		!strings.HasPrefix(got.Shipments[0].ShippedOn, "2026-11-24") {
		t.Fatalf("the API: %v %s", err, body)
	}

	// Another company's customer: no such order.
	ctx := context.Background()
	if _, err := a.db.ExecContext(ctx, "INSERT INTO companies (name) VALUES ('Stranger BV')"); err != nil {
		t.Fatal(err)
	}
	u, err := a.users.Create(ctx, users.NewUser{Email: "s@stranger.test", Name: "S", Role: users.RoleCustomer, CompanyID: a.companyID(t, "Stranger BV"), Password: "long enough pw"})
	if err != nil {
		t.Fatal(err)
	}
	plain, _, err := a.users.CreateToken(ctx, u.ID, "stranger")
	if err != nil {
		t.Fatal(err)
	}
	stranger := &client{t: t, app: a, cookies: map[string]string{}, bearer: plain}
	resp, body = stranger.get(fmt.Sprintf("/api/v1/orders/%d/shipments", demo))
	if resp.StatusCode != http.StatusNotFound || strings.Contains(body, "3SDEVC") {
		t.Fatalf("another company's customer: %d %s", resp.StatusCode, body)
	}
}

// TestDeliveryDateIsRecorded: the warehouse records the day a shipment
// was delivered, on the order page.
func TestDeliveryDateIsRecorded(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	demo := a.orderID(t, "BJ-2026-119")
	lines := orderLines(t, a, demo)
	wh := a.as(users.RoleWarehouse)
	resp, _ := wh.post(fmt.Sprintf("/orders/%d/ship", demo), url.Values{fmt.Sprintf("qty_%d", lines["KR-XS5300"]): {"24"},
		fmt.Sprintf("qty_%d", lines["KR-F3090"]): {"6"}, "tracking_number": {"1Z999AA10123456784"}})
	wantStatus(t, resp, http.StatusFound)
	var shipment int64
	a.db.NewRaw("SELECT id FROM shipments WHERE order_id = ?", demo).Scan(context.Background(), &shipment)
	a.clk.Advance(24 * time.Hour)
	wh = a.as(users.RoleWarehouse) // the session of yesterday has expired
	resp, body := wh.post(fmt.Sprintf("/shipments/%d/delivered", shipment), url.Values{"delivered_on": {"2026-11-26"}})
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	if msg := fieldMessage(doc(t, body), fmt.Sprintf("#shipment-%d", shipment), "delivered_on"); msg != "The delivery date cannot be in the future." {
		t.Errorf("a delivery tomorrow: %q", msg)
	}
	resp, _ = wh.post(fmt.Sprintf("/shipments/%d/delivered", shipment), url.Values{"delivered_on": {"2026-11-25"}})
	wantStatus(t, resp, http.StatusFound)
	_, body = a.as(users.RoleCustomer).get(fmt.Sprintf("/portal/orders/%d", demo))
	if got := doc(t, body).Find(fmt.Sprintf("#shipment-%d td[data-label=Delivered]", shipment)).Text(); got != "25 Nov 2026" {
		t.Errorf("the customer reads delivered %q", got)
	}
}

// TestFinanceRegistersAPrepayment: an unpaid prepayment order does not
// ship; finance follow "Register the payment" from the order to the
// payment form, filled in with the customer, the order's reference and
// what is still to pay; once booked, the warehouse sees the ship button.
func TestFinanceRegistersAPrepayment(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	if _, err := a.db.ExecContext(context.Background(), "UPDATE companies SET payment_terms = 'prepayment' WHERE name = 'Bakkerij Jansen B.V.'"); err != nil {
		t.Fatal(err)
	}
	id := placeOrder(t, a, "BJ-PREPAY", "KR-F3090", "1")
	wh, fin := a.as(users.RoleWarehouse), a.as(users.RoleFinance)
	_, body := wh.get(fmt.Sprintf("/orders/%d", id))
	if doc(t, body).Find(fmt.Sprintf("a[href='/orders/%d/ship']", id)).Length() != 0 || !strings.Contains(body, "awaiting payment") {
		t.Fatal("an unpaid prepayment order offers the ship button")
	}
	if doc(t, body).Find("p.prepayment a").Length() != 0 {
		t.Error("the warehouse is offered to register the payment")
	}
	_, body = fin.get(fmt.Sprintf("/orders/%d", id))
	link := doc(t, body).Find("p.prepayment a")
	if link.Text() != "Register the payment" {
		t.Fatalf("finance has no link: %q", squeeze(doc(t, body).Find("main")))
	}
	_, body = fin.get(link.AttrOr("href", ""))
	form := doc(t, body).Find("form[method=post][action^='/payments']")
	ref, amount := form.Find("input[name=reference]").AttrOr("value", ""), form.Find("input[name=amount]").AttrOr("value", "")
	customer := form.Find("select[name=customer] option[selected]").AttrOr("value", "")
	if !strings.HasPrefix(ref, "WS") || amount == "" || customer != fmt.Sprint(a.companyID(t, "Bakkerij Jansen B.V.")) {
		t.Fatalf("the form is filled in with %q %q %q", customer, ref, amount)
	}
	resp, _ := fin.post("/payments", url.Values{"customer": {customer}, "amount": {amount}, "received_on": {"2026-11-24"}, "reference": {ref}})
	wantStatus(t, resp, http.StatusFound)
	_, body = fin.get(resp.Header.Get("Location"))
	if got := squeeze(doc(t, body).Find("table.allocations")); !strings.Contains(got, fmt.Sprintf("Order %d", id)) || !strings.Contains(got, "the payment reference is the prepayment order's") {
		t.Errorf("the payment went to %q", got)
	}
	_, body = wh.get(fmt.Sprintf("/orders/%d", id))
	if d := doc(t, body); d.Find(fmt.Sprintf("a[href='/orders/%d/ship']", id)).Length() != 1 || !strings.Contains(mainText(d), "Status: released to the warehouse") {
		t.Errorf("after the payment: %.300s", mainText(d))
	}
}

// TestPackingListAndShippingInDutch: the packing list shows what to pack
// with the delivery address; a Dutch warehouse user reads the list and the
// ship form in Dutch, and the Dutch customer's mail is Dutch.
func TestPackingListAndShippingInDutch(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	demo := a.orderID(t, "BJ-2026-119")
	wh := a.asDutch(users.RoleWarehouse)
	_, body := wh.get(fmt.Sprintf("/orders/%d/packing-list", demo))
	d := doc(t, body)
	if h := d.Find("main h1").Text(); h != fmt.Sprintf("Paklijst · order %d", demo) {
		t.Errorf("heading %q", h)
	}
	rows := d.Find("table.packing tbody tr")
	if rows.Length() != 2 || !strings.Contains(rows.Eq(1).Text(), "KR-XS5300") || rows.Eq(1).Find("td.qty").Text() != "24" {
		t.Errorf("packing rows: %s", strings.Join(strings.Fields(rows.Text()), " "))
	}
	if text := mainText(d); !strings.Contains(text, "BJ-2026-119") || !strings.Contains(text, "Bakkerij Jansen") {
		t.Errorf("the packing list lacks the PO or the customer: %.300s", text)
	}
	_, body = wh.get("/warehouse/ship")
	if h := doc(t, body).Find("main h1").Text(); h != "Te verzenden orders" {
		t.Errorf("the Dutch list's heading %q", h)
	}
	lines := orderLines(t, a, demo)
	resp, body := wh.post(fmt.Sprintf("/orders/%d/ship", demo), url.Values{fmt.Sprintf("qty_%d", lines["KR-F3090"]): {"6"},
		fmt.Sprintf("qty_%d", lines["KR-XS5300"]): {"24"}, "tracking_number": {"1Z999"}})
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	if msg := fieldMessage(doc(t, body), "", "tracking_number"); !strings.HasPrefix(msg, "Een trackingnummer van UPS is 1Z gevolgd door 16 letters of cijfers") {
		t.Errorf("the Dutch message at the tracking number: %q", msg)
	}
	resp, _ = wh.post(fmt.Sprintf("/orders/%d/ship", demo), url.Values{fmt.Sprintf("qty_%d", lines["KR-F3090"]): {"6"},
		fmt.Sprintf("qty_%d", lines["KR-XS5300"]): {"24"}, "tracking_number": {"1Z999AA10123456784"}})
	wantStatus(t, resp, http.StatusFound)
	var subject, mailBody string
	a.db.NewRaw("SELECT subject, body FROM outbox ORDER BY id DESC LIMIT 1").Scan(context.Background(), &subject, &mailBody)
	if subject != "Order "+fmt.Sprint(demo)+" (PO BJ-2026-119) is verzonden" || !strings.Contains(mailBody, "https://www.ups.com/track?tracknum=1Z999AA10123456784") ||
		!strings.Contains(mailBody, "Wij hebben uw order") {
		t.Errorf("the customer's mail: %q\n%s", subject, mailBody)
	}
}

// TestWarehouseCorrectsTheTrackingNumber: a mistyped UPS number is
// corrected on the order page; a bad one is refused at the field with what
// was typed kept, and the customer's portal then links the new number.
func TestWarehouseCorrectsTheTrackingNumber(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	demo := a.orderID(t, "BJ-2026-119")
	lines := orderLines(t, a, demo)
	wh := a.as(users.RoleWarehouse)
	resp, _ := wh.post(fmt.Sprintf("/orders/%d/ship", demo), url.Values{fmt.Sprintf("qty_%d", lines["KR-XS5300"]): {"10"},
		fmt.Sprintf("qty_%d", lines["KR-F3090"]): {"0"}, "carrier": {"UPS"}, "tracking_number": {"1Z999AA10123456784"}})
	wantStatus(t, resp, http.StatusFound)
	var id int64
	if err := a.db.NewRaw("SELECT id FROM shipments WHERE order_id = ?", demo).Scan(context.Background(), &id); err != nil {
		t.Fatal(err)
	}
	row := fmt.Sprintf("#shipment-%d", id)
	_, body := wh.get(fmt.Sprintf("/orders/%d", demo))
	d := doc(t, body)
	if d.Find(row+fmt.Sprintf(" form[action='/shipments/%d/tracking']", id)).Length() != 1 || typedValue(d, row, "tracking_number") != "1Z999AA10123456784" {
		t.Fatalf("no correction form with the number: %s", strings.Join(strings.Fields(d.Find(row).Text()), " "))
	}
	if _, body := a.as(users.RoleSales).get(fmt.Sprintf("/orders/%d", demo)); doc(t, body).Find(row+" form").Length() != 0 {
		t.Error("sales are offered the correction")
	}

	resp, body = wh.post(fmt.Sprintf("/shipments/%d/tracking", id), url.Values{"carrier": {"UPS"}, "tracking_number": {"1Z999"}})
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	d = doc(t, body)
	if msg := fieldMessage(d, row, "tracking_number"); !strings.Contains(msg, "1Z followed by 16 letters or digits") {
		t.Errorf("message at the tracking number: %q", msg)
	}
	if typedValue(d, row, "tracking_number") != "1Z999" || d.Find(row+" details[open]").Length() != 1 {
		t.Errorf("the form lost what was typed: %q", typedValue(d, row, "tracking_number"))
	}

	resp, _ = wh.post(fmt.Sprintf("/shipments/%d/tracking", id), url.Values{"carrier": {"UPS"}, "tracking_number": {"1Z999AA1 0123456785"}})
	wantStatus(t, resp, http.StatusFound)
	_, body = wh.get(resp.Header.Get("Location"))
	if text := mainText(doc(t, body)); !strings.Contains(text, "is corrected: UPS, tracking number 1Z999AA10123456785") || !strings.Contains(text, "tracking corrected") {
		t.Errorf("the order page after the correction: %.600s", text)
	}
	_, body = a.as(users.RoleCustomer).get(fmt.Sprintf("/portal/orders/%d", demo))
	link := doc(t, body).Find("#shipments a.tracking")
	if href, _ := link.Attr("href"); link.Text() != "1Z999AA10123456785" || href != "https://www.ups.com/track?tracknum=1Z999AA10123456785" {
		t.Errorf("the portal's tracking link %q → %q", link.Text(), href)
	}
	if doc(t, body).Find("#shipments form").Length() != 0 {
		t.Error("the portal offers the correction")
	}
}
