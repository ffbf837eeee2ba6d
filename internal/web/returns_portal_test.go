package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"wholesale/internal/invoicing"
	"wholesale/internal/orders"
	"wholesale/internal/pdf"
	"wholesale/internal/returns"
	"wholesale/internal/stock"
	"wholesale/internal/users"
)

// returnsService is the returns service of a test app, for the steps the
// staff take (approve, receive, test, settle).
func (a *testApp) returnsService() *returns.Service {
	return &returns.Service{DB: a.db, Clock: a.clk, Invoicing: invoicingFor(a.db, a.clk),
		Orders:     &orders.Service{DB: a.db, Clock: a.clk, BaseURL: "http://localhost:8080", Calendar: invoicing.LoadCalendar},
		WriteLabel: pdf.WriteReturnLabel, BaseURL: "http://localhost:8080"}
}

// shippedLine releases and ships an order po of the demo customer of qty ×
// sku, and returns the order's id and how the return form names its line.
func (a *testApp) shippedLine(t *testing.T, po, sku string, qty int) (int64, string) {
	t.Helper()
	o := a.releasedOrder(t, po, orders.LineInput{SKU: sku, Quantity: qty})
	a.ship(t, o.ID)
	var l struct {
		Shipment int64 `bun:"shipment_id"`
		Line     int64 `bun:"order_line_id"`
	}
	if err := a.db.NewRaw(`SELECT sl.shipment_id, sl.order_line_id FROM shipment_lines sl JOIN shipments sh ON sh.id = sl.shipment_id
		WHERE sh.order_id = ?`, o.ID).Scan(context.Background(), &l); err != nil {
		t.Fatal(err)
	}
	return o.ID, returns.LineValue(l.Shipment, l.Line)
}

// fileReturn posts the portal's return form as c with line and the values
// given (quantity 1, a fault, dead on arrival unless set), and returns the
// new return's id.
func fileReturn(t *testing.T, c *client, line string, kv ...string) int64 {
	t.Helper()
	v := form("line", line, "quantity", "1", "fault", "No power when switched on.", "doa", "1", "remedy", "replacement")
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			v.Del(kv[i])
		} else {
			v.Set(kv[i], kv[i+1])
		}
	}
	resp, body := c.post("/portal/returns", v)
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("filing the return: %d %.500s", resp.StatusCode, text(t, body))
	}
	var id int64
	if _, err := fmt.Sscanf(resp.Header.Get("Location"), "/portal/returns/%d", &id); err != nil {
		t.Fatalf("filed, then sent to %q", resp.Header.Get("Location"))
	}
	return id
}

// wantOnPage gets path as c and fails unless the page's <main> says each of want.
func wantOnPage(t *testing.T, c *client, path string, want ...string) string {
	t.Helper()
	resp, body := c.get(path)
	wantStatus(t, resp, http.StatusOK)
	main := text(t, body)
	for _, w := range want {
		if !strings.Contains(main, w) {
			t.Errorf("%s does not say %q: %.1500s", path, w, main)
		}
	}
	return body
}

// A customer finds "Return goods" on a shipped order, reads the rules and
// the line's dates on the form, files a return, follows it through the
// approval (the RA number, where to send it, by when, the label), the
// tests and the settlement with a credit note.
func TestPortalReturnFromTheOrderToTheCreditNote(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.sellerDetails(t)
	orderID, line := a.shippedLine(t, "RET-1", "KR-F3090", 3)
	buyer := a.as(users.RoleCustomer)

	_, body := buyer.get(fmt.Sprintf("/portal/orders/%d", orderID))
	href, _ := doc(t, body).Find(`main a:contains("Return goods")`).Attr("href")
	if want := fmt.Sprintf("/portal/returns/new?order=%d", orderID); href != want {
		t.Fatalf("the shipped order's page links %q to return goods, want %q", href, want)
	}
	// Shipped on Tuesday 24 November, no delivery date: received Thursday
	// 26 November; day 45 is Sunday 10 January, so the window ends Monday.
	body = wantOnPage(t, buyer, href, "up to 45 days after you received it", "brand's authorised service centre",
		"KR-F3090 Kettle Pro Aroma 1.7 l", "RET-1", "24 Nov 2026", "26 Nov 2026", "no delivery date known: the ship date plus 2 working days",
		"11 Jan 2027", "3 of 3")
	if v, _ := doc(t, body).Find(`input[name=line]`).Attr("value"); v != line {
		t.Fatalf("the form offers line %q, want %q", v, line)
	}
	if _, checked := doc(t, body).Find(`input[name=line]`).Attr("checked"); !checked {
		t.Error("the only line of the order is not chosen")
	}

	id := fileReturn(t, buyer, line, "quantity", "2", "serials", "SN-001\nSN-002", "remedy", "credit_note", "order", fmt.Sprint(orderID))
	page := fmt.Sprintf("/portal/returns/%d", id)
	wantOnPage(t, buyer, page, "Your return request is sent", fmt.Sprintf("Return %d", id), "Status: waiting for approval",
		"2 × KR-F3090", "SN-001, SN-002", "No power when switched on.", "26 Nov 2026", "11 Jan 2027", "a credit note",
		"Your account manager checks the request")
	body = wantOnPage(t, buyer, "/portal/returns", fmt.Sprintf("return %d", id), "KR-F3090 Kettle Pro Aroma 1.7 l", "RET-1", "waiting for approval")
	if got, _ := doc(t, body).Find(fmt.Sprintf("#return-%d a", id)).Attr("href"); got != page {
		t.Errorf("the list links %q, want %q", got, page)
	}
	_, body = buyer.get("/")
	if doc(t, body).Find(`header nav a[href="/portal/returns"]`).Length() != 1 {
		t.Error("the portal's navigation has no link to the returns")
	}

	svc := a.returnsService()
	ctx, am := a.user(t, users.RoleAccountManager)
	if _, err := svc.Approve(ctx, am, id); err != nil {
		t.Fatal(err)
	}
	// Approved on 24 November: the parcel must arrive within 14 days.
	body = wantOnPage(t, buyer, page, "Return RA-2026-000001", "Status: RA issued, parcel on its way",
		"Send the units back with RA number RA-2026-000001", "Put the RA number RA-2026-000001 on the outside of the parcel",
		"Groothandel BV", "Returns department", "Havenweg 1", "3011 AA Rotterdam", "It must arrive by 8 December 2026")
	labelHref, _ := doc(t, body).Find(`main a:contains("Download the label (PDF)")`).Attr("href")
	if labelHref != page+"/label.pdf" {
		t.Fatalf("label link %q", labelHref)
	}
	resp, label := buyer.get(labelHref)
	wantStatus(t, resp, http.StatusOK)
	if !strings.HasPrefix(label, "%PDF") || resp.Header.Get("Content-Type") != "application/pdf" ||
		!strings.Contains(resp.Header.Get("Content-Disposition"), "RA-2026-000001.pdf") {
		t.Fatalf("the label: %s %s %.20q", resp.Header.Get("Content-Type"), resp.Header.Get("Content-Disposition"), label)
	}
	if pdfText := documentText(t, "pdf", []byte(label)); !strings.Contains(pdfText, "RA-2026-000001") || !strings.Contains(pdfText, "Havenweg 1") {
		t.Errorf("the label says: %.400s", pdfText)
	}
	wantOnPage(t, buyer, "/portal/returns", "RA-2026-000001", "8 Dec 2026")

	ctx, wh := a.user(t, users.RoleWarehouse)
	if _, err := svc.Receive(ctx, wh, returns.ReceiveInput{RA: "RA-2026-000001"}); err != nil {
		t.Fatal(err)
	}
	wantOnPage(t, buyer, page, "Status: received, being tested", "We received the parcel on 24 Nov 2026")
	if _, err := svc.Test(ctx, wh, id, returns.TestInput{Units: []returns.UnitTest{
		{UnitNo: 1, Result: returns.ResultFaultConfirmed, Note: "Heating element open circuit."},
		{UnitNo: 2, Result: returns.ResultNoFaultFound, Note: "Heats normally."}}}); err != nil {
		t.Fatal(err)
	}
	wantOnPage(t, buyer, page, "Status: tested, to be settled", "SN-001", "fault confirmed", "Heating element open circuit.",
		"SN-002", "no fault found", "Heats normally.")

	numbers := a.invoiceNow(t) // the kettles' invoice, which the credit note corrects
	ctx, am = a.user(t, users.RoleAccountManager)
	r, err := svc.Settle(ctx, am, id, returns.SettleInput{Note: "Agreed by phone with Joris."})
	if err != nil {
		t.Fatal(err)
	}
	if r.CreditNote == nil || len(numbers) != 1 {
		t.Fatalf("settled without a credit note: %+v %v", r.Settlement, numbers)
	}
	body = wantOnPage(t, buyer, page, "Status: settled", "Settled on 24 Nov 2026", "credit note issued", "Credit note "+*r.CreditNote,
		"We send 1 units back to you")
	if strings.Contains(text(t, body), "Agreed by phone") {
		t.Error("the customer reads the account manager's own note")
	}
	cn, _ := doc(t, body).Find(`main a:contains("Credit note")`).Attr("href")
	if cn != "/portal/invoices/"+*r.CreditNote {
		t.Fatalf("credit note link %q", cn)
	}
	wantOnPage(t, buyer, cn, *r.CreditNote, numbers[0])
	if doc(t, body).Find("form.cancel-return").Length() != 0 {
		t.Error("a settled return can still be cancelled")
	}
}

// A defect that is no DOA, a product that is not returned to us and a
// brand without a centre on file: each return is referred at once, and
// the customer reads where to go.
func TestPortalReturnReferredShowsTheServiceCentre(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	_, kettle := a.shippedLine(t, "RET-2", "KR-F3090", 1)
	_, kit := a.shippedLine(t, "RET-3", "KR-XS5300", 1)
	if rep, err := (&stock.Service{DB: a.db, Clock: a.clk}).ImportStock(context.Background(), []byte("sku,warehouse,on_hand\nMX-QA1,MAIN,2\n")); err != nil || len(rep.Errors) > 0 {
		t.Fatal(err, rep)
	}
	_, mixer := a.shippedLine(t, "RET-4", "MX-QA1", 1)
	buyer := a.as(users.RoleCustomer)

	id := fileReturn(t, buyer, kettle, "doa", "", "fault", "The lid no longer closes.")
	body := wantOnPage(t, buyer, fmt.Sprintf("/portal/returns/%d", id), "Your report is recorded",
		"Status: referred to the service centre", "The unit was not dead on arrival", "Service centre of Krups",
		"Groupe SEB Service Nederland", "Postbus 1, 3800 AA Amersfoort", "+31 33 000 0000", "service@groupeseb.test")
	d := doc(t, body)
	if web, _ := d.Find(`.service-centre a[href^="https://"]`).Attr("href"); web != "https://service.groupeseb.test" {
		t.Errorf("the centre's website links %q", web)
	}
	if mail, _ := d.Find(`.service-centre a[href^="mailto:"]`).Attr("href"); mail != "mailto:service@groupeseb.test" {
		t.Errorf("the centre's e-mail links %q", mail)
	}
	if d.Find("form.cancel-return").Length() != 0 || d.Find(`a[href$="/label.pdf"]`).Length() != 0 {
		t.Error("a referred return offers a cancel form or a label")
	}
	resp, _ := buyer.get(fmt.Sprintf("/portal/returns/%d/label.pdf", id))
	wantStatus(t, resp, http.StatusConflict)

	id = fileReturn(t, buyer, kit)
	wantOnPage(t, buyer, fmt.Sprintf("/portal/returns/%d", id), "This product is not returned to us", "Groupe SEB Service Nederland")

	id = fileReturn(t, buyer, mixer, "doa", "", "fault", "The bowl cracked after a month.")
	wantOnPage(t, buyer, fmt.Sprintf("/portal/returns/%d", id), "referred to the service centre",
		"Your account manager gives you the details of the authorised service centre of Moulinex.")
}

// The customer cancels a return with a reason; without one the form says
// so, and a cancelled return cannot be cancelled again.
func TestPortalReturnCancel(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	_, line := a.shippedLine(t, "RET-5", "KR-F3090", 2)
	buyer := a.as(users.RoleCustomer)
	id := fileReturn(t, buyer, line)
	page := fmt.Sprintf("/portal/returns/%d", id)
	ctx, am := a.user(t, users.RoleAccountManager)
	if _, err := a.returnsService().Approve(ctx, am, id); err != nil {
		t.Fatal(err)
	}

	resp, body := buyer.post(page+"/cancel", url.Values{"reason": {"  "}})
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	if msg := fieldMessage(doc(t, body), "form.cancel-return", "reason"); !strings.Contains(msg, "Say why") {
		t.Errorf("message at the reason: %q", msg)
	}
	if !strings.Contains(text(t, body), "RA-2026-000001") {
		t.Error("the page came back without its RA")
	}
	resp, _ = buyer.post(page+"/cancel", url.Values{"reason": {"We repaired it ourselves."}})
	if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != page {
		t.Fatalf("cancel: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	body = wantOnPage(t, buyer, page, "The return is cancelled.", "Status: cancelled", "The return was cancelled.",
		"Reason: We repaired it ourselves.")
	if doc(t, body).Find("form.cancel-return").Length() != 0 {
		t.Error("a cancelled return still has the cancel form")
	}
	resp, body = buyer.post(page+"/cancel", url.Values{"reason": {"Twice."}})
	wantStatus(t, resp, http.StatusConflict)
	if !strings.Contains(text(t, body), "it can no longer be cancelled") {
		t.Errorf("cancelling twice: %.300s", text(t, body))
	}
	// The units it held can be returned again.
	wantOnPage(t, buyer, "/portal/returns/new", "2 of 2")
}
